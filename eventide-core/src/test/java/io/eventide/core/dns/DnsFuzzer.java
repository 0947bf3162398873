package io.eventide.core.dns;

import io.eventide.core.dns.internal.DnsCodec;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * Fuzz target: the DNS message decoder, as a response to "a.test" (type A, or AAAA when the first
 * byte is odd; the rest is the message, as a UDP datagram or a TCP message without its length).
 * Properties: nothing thrown but {@link DnsCodec.Malformed} (compression loops, pointers and
 * labels past the end, over-long names and chains included); an answer's id is the message's,
 * its addresses are all of the asked family, its TTL is not negative; decoding twice gives the
 * same answer (no state); and the query we encode for a name decodes, once answered empty, to no
 * address.
 *
 * <p><b>Threading:</b> called by Jazzer on its thread.
 */
public final class DnsFuzzer {
    private static final String NAME = "a.test";

    private DnsFuzzer() {
    }

    /** @param input type selector, then the message */
    public static void fuzzerTestOneInput(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int type = (input[0] & 1) != 0 ? DnsCodec.TYPE_AAAA : DnsCodec.TYPE_A;
        byte[] msg = Arrays.copyOfRange(input, 1, input.length);
        String first = describe(msg, type);
        String again = describe(msg, type);
        if (!first.equals(again)) {
            throw new AssertionError("decoded twice: " + first + " then " + again);
        }
        roundTrip(msg, type);
    }

    private static String describe(byte[] msg, int type) {
        DnsCodec.Answer a;
        try {
            a = DnsCodec.decode(msg.clone(), NAME, type);
        } catch (DnsCodec.Malformed e) {
            return "malformed: " + e.getMessage();
        }
        if (a.id() != DnsCodec.id(msg)) {
            throw new AssertionError("id " + a.id() + " of a message whose id is " + DnsCodec.id(msg));
        }
        if (a.ttlSeconds() < 0) {
            throw new AssertionError("negative TTL " + a.ttlSeconds());
        }
        for (InetAddress address : a.addresses()) {
            if (type == DnsCodec.TYPE_A ? !(address instanceof Inet4Address) : !(address instanceof Inet6Address)) {
                throw new AssertionError("asked type " + type + ", got " + address);
            }
        }
        return a.toString();
    }

    /** A name taken from the input (printable labels) is encoded, answered with no record, decoded. */
    private static void roundTrip(byte[] msg, int type) {
        StringBuilder name = new StringBuilder();
        for (byte b : msg) {
            name.append(b > 0x20 && b < 0x7f ? (char) b : '.');
        }
        String n = name.toString();
        byte[] query;
        try {
            query = DnsCodec.encodeQuery(DnsCodec.id(msg) & 0xffff, n, type);
        } catch (IllegalArgumentException e) {
            return; // not a DNS name; the resolver never asks for one
        }
        query[2] |= (byte) 0x80; // QR: a response with no answer
        try {
            DnsCodec.Answer a = DnsCodec.decode(query, n, type);
            if (!a.addresses().isEmpty() || a.truncated()) {
                throw new AssertionError("an empty answer to " + n + " decoded as " + a);
            }
        } catch (DnsCodec.Malformed e) {
            throw new AssertionError("our own query for " + n + ", answered empty, is malformed: " + e.getMessage(), e);
        }
    }
}
