package io.eventide.core.dns.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * DNS messages (RFC 1035 §4): encodes one question, decodes the answer to it. Only what a stub
 * resolver needs: A (1), AAAA (28), CNAME (5) in the answer section, SOA (6) in the authority
 * section for the negative-caching TTL (RFC 2308 §5). Compressed names (§4.1.4) are followed with a
 * bound on jumps, so a malicious pointer loop cannot spin. Every read is bounds-checked: a short or
 * lying message is a {@link Malformed}, never an exception escaping into the loop.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class DnsCodec {
    /** Type A. */
    public static final int TYPE_A = 1;
    /** Type AAAA. */
    public static final int TYPE_AAAA = 28;
    static final int TYPE_CNAME = 5;
    static final int TYPE_SOA = 6;
    static final int CLASS_IN = 1;
    /** Largest classic UDP message (no EDNS). */
    public static final int MAX_UDP = 512;
    private static final int MAX_JUMPS = 32;
    private static final int MAX_CNAME_CHAIN = 16;

    private DnsCodec() {
    }

    /** A message that could not be decoded. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * What a response said about one question.
     *
     * @param id the message id
     * @param rcode response code (0 ok, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED, ...)
     * @param truncated the TC bit: the answer did not fit; ask again over TCP
     * @param addresses addresses of the asked type, at the end of any CNAME chain
     * @param ttlSeconds smallest TTL of the records used (chain and addresses), or the negative TTL
     * @param hasSoa whether the authority section carried an SOA (so {@code ttlSeconds} is its negative TTL)
     */
    public record Answer(int id, int rcode, boolean truncated, List<InetAddress> addresses, long ttlSeconds,
            boolean hasSoa) {
    }

    /**
     * @param id message id (random, 16 bits)
     * @param name fully qualified name, with or without the final dot
     * @param type {@link #TYPE_A} or {@link #TYPE_AAAA}
     * @return the query: recursion desired, one question
     * @throws IllegalArgumentException if {@code name} is not a valid DNS name
     */
    public static byte[] encodeQuery(int id, String name, int type) {
        ByteBuffer b = ByteBuffer.allocate(12 + name.length() + 2 + 4);
        b.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0);
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (n.isEmpty() || n.length() > 253) {
            throw new IllegalArgumentException("not a DNS name (length " + n.length() + "): " + name);
        }
        for (String label : n.split("\\.", -1)) {
            byte[] l = label.getBytes(StandardCharsets.US_ASCII);
            if (l.length == 0 || l.length > 63 || !label.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("not a DNS name (bad label '" + label + "'): " + name);
            }
            b.put((byte) l.length).put(l);
        }
        b.put((byte) 0).putShort((short) type).putShort((short) CLASS_IN);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    /**
     * Decodes the answer to the question ({@code name}, {@code type}) we asked.
     *
     * @param msg the whole message
     * @param name the asked name (compared case-insensitively, RFC 4343)
     * @param type the asked type
     * @return what it says
     * @throws Malformed if it is not a well-formed response to that question
     */
    public static Answer decode(byte[] msg, String name, int type) throws Malformed {
        Reader r = new Reader(msg);
        int id = r.u16();
        int flags = r.u16();
        if ((flags & 0x8000) == 0) {
            throw new Malformed("not a response (QR=0)");
        }
        int qd = r.u16();
        int an = r.u16();
        int ns = r.u16();
        r.u16(); // additional records: not needed
        boolean tc = (flags & 0x0200) != 0;
        int rcode = flags & 0x000F;
        if (qd != 1) {
            throw new Malformed("expected one question, got " + qd);
        }
        String qname = r.name();
        int qtype = r.u16();
        int qclass = r.u16();
        if (!sameName(qname, name) || qtype != type || qclass != CLASS_IN) {
            throw new Malformed("answer to another question: " + qname + " type " + qtype);
        }
        if (tc) {
            return new Answer(id, rcode, true, List.of(), 0, false);
        }
        // Collect first, follow after: servers usually order a CNAME chain, but nothing requires it.
        List<Object[]> records = new ArrayList<>(an); // {owner, type, ttl, data: String target | InetAddress}
        for (int i = 0; i < an; i++) {
            String owner = canonical(r.name());
            int rtype = r.u16();
            int rclass = r.u16();
            long rttl = r.ttl();
            int len = r.u16();
            int end = r.pos + len;
            r.require(len);
            if (rclass == CLASS_IN && rtype == TYPE_CNAME) {
                records.add(new Object[] {owner, rtype, rttl, canonical(r.name())});
            } else if (rclass == CLASS_IN && rtype == type && (rtype == TYPE_A ? len == 4 : len == 16)) {
                records.add(new Object[] {owner, rtype, rttl, address(msg, r.pos, len)});
            }
            r.pos = end;
        }
        String target = canonical(name);
        long ttl = Long.MAX_VALUE;
        List<InetAddress> addrs = new ArrayList<>();
        for (int hop = 0; hop <= MAX_CNAME_CHAIN; hop++) {
            String next = null;
            for (Object[] rec : records) {
                if (rec[0].equals(target)) {
                    ttl = Math.min(ttl, (Long) rec[2]);
                    if (rec[3] instanceof InetAddress ia) {
                        addrs.add(ia);
                    } else {
                        next = (String) rec[3];
                    }
                }
            }
            if (!addrs.isEmpty() || next == null) {
                break;
            }
            if (hop == MAX_CNAME_CHAIN) {
                throw new Malformed("CNAME chain longer than " + MAX_CNAME_CHAIN);
            }
            target = next;
        }
        boolean soa = false;
        if (addrs.isEmpty()) {
            for (int i = 0; i < ns && !soa; i++) {
                r.name();
                int rtype = r.u16();
                r.u16();
                long rttl = r.ttl();
                int len = r.u16();
                int end = r.pos + len;
                r.require(len);
                if (rtype == TYPE_SOA) {
                    r.name(); // MNAME
                    r.name(); // RNAME
                    r.u32(); // serial
                    r.u32(); // refresh
                    r.u32(); // retry
                    r.u32(); // expire
                    long minimum = r.ttl();
                    ttl = Math.min(rttl, minimum); // RFC 2308 §5
                    soa = true;
                }
                r.pos = end;
            }
        }
        return new Answer(id, rcode, false, List.copyOf(addrs), ttl == Long.MAX_VALUE ? 0 : ttl, soa);
    }

    /** @param msg a response @return its id, or -1 if shorter than a header */
    public static int id(byte[] msg) {
        return msg.length < 12 ? -1 : ((msg[0] & 0xff) << 8) | (msg[1] & 0xff);
    }

    private static InetAddress address(byte[] msg, int at, int len) throws Malformed {
        byte[] a = new byte[len];
        System.arraycopy(msg, at, a, 0, len);
        try {
            InetAddress ia = InetAddress.getByAddress(a);
            if (len == 16 && !(ia instanceof Inet6Address)) {
                // getByAddress turns ::ffff:a.b.c.d into an Inet4Address; keep the record's family.
                return Inet6Address.getByAddress(null, a, -1);
            }
            assert len != 4 || ia instanceof Inet4Address;
            return ia;
        } catch (UnknownHostException e) {
            throw new Malformed("bad address length " + len);
        }
    }

    static boolean sameName(String a, String b) {
        return canonical(a).equals(canonical(b));
    }

    static String canonical(String n) {
        String s = n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
        return s.toLowerCase(Locale.ROOT);
    }

    /** Bounds-checked reads; every failure is a Malformed. */
    private static final class Reader {
        private final byte[] m;
        int pos;

        Reader(byte[] m) {
            this.m = m;
        }

        void require(int n) throws Malformed {
            if (n < 0 || pos + n > m.length) {
                throw new Malformed("message ends early at byte " + pos + " (needs " + n + " more, has "
                        + (m.length - pos) + ")");
            }
        }

        int u16() throws Malformed {
            require(2);
            int v = ((m[pos] & 0xff) << 8) | (m[pos + 1] & 0xff);
            pos += 2;
            return v;
        }

        long u32() throws Malformed {
            require(4);
            long v = ((long) (m[pos] & 0xff) << 24) | ((m[pos + 1] & 0xff) << 16) | ((m[pos + 2] & 0xff) << 8)
                    | (m[pos + 3] & 0xff);
            pos += 4;
            return v;
        }

        /** RFC 2181 §8: a TTL with the most significant bit set is treated as zero. */
        long ttl() throws Malformed {
            long v = u32();
            return v > 0x7fff_ffffL ? 0 : v;
        }

        /** Reads a possibly compressed name; leaves pos after its in-place part. */
        String name() throws Malformed {
            StringBuilder sb = new StringBuilder();
            int p = pos;
            int jumps = 0;
            int resume = -1;
            while (true) {
                if (p >= m.length) {
                    throw new Malformed("name runs past the end of the message");
                }
                int len = m[p] & 0xff;
                if ((len & 0xC0) == 0xC0) {
                    if (p + 1 >= m.length) {
                        throw new Malformed("truncated compression pointer");
                    }
                    if (++jumps > MAX_JUMPS) {
                        throw new Malformed("compression pointer loop");
                    }
                    if (resume < 0) {
                        resume = p + 2;
                    }
                    p = ((len & 0x3F) << 8) | (m[p + 1] & 0xff);
                    continue;
                }
                if ((len & 0xC0) != 0) {
                    throw new Malformed("unsupported label type " + (len >> 6));
                }
                p++;
                if (len == 0) {
                    break;
                }
                if (p + len > m.length) {
                    throw new Malformed("label runs past the end of the message");
                }
                if (sb.length() > 0) {
                    sb.append('.');
                }
                for (int i = 0; i < len; i++) {
                    sb.append((char) (m[p + i] & 0xff));
                }
                if (sb.length() > 255) {
                    throw new Malformed("name longer than 255 bytes");
                }
                p += len;
            }
            pos = resume >= 0 ? resume : p;
            return sb.toString();
        }
    }
}
