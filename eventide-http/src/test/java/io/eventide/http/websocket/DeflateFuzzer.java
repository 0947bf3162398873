package io.eventide.http.websocket;

import io.eventide.http.internal.codec.SplitEverywhere;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;

/**
 * Fuzz target: permessage-deflate (RFC 7692) through the frame decoder, the assembler and the
 * inflater. The first byte picks a mode:
 * <ul>
 *   <li>even: the rest is taken as compressed bytes (as a hostile peer sends them) and framed as
 *       one compressed binary message, fragmented where the input says; property: no exception
 *       (corrupt data and bombs are close codes 1007/1009), the same outcome however cut.</li>
 *   <li>odd: the rest is a message, compressed as a peer would (sync flush, tail removed);
 *       property: it arrives intact, or fails with 1009 exactly when it is over the limit.</li>
 * </ul>
 *
 * <p><b>Threading:</b> called by Jazzer on its thread.
 */
public final class DeflateFuzzer {
    private static final int MAX_MESSAGE = 4096;

    private DeflateFuzzer() {
    }

    /** @param input mode byte, then compressed data or a message */
    public static void fuzzerTestOneInput(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] rest = Arrays.copyOfRange(input, 1, input.length);
        boolean roundTrip = (input[0] & 1) != 0;
        byte[] compressed = roundTrip ? compress(rest, (input[0] >> 1) & 7) : rest;
        int fragmentAt = rest.length == 0 ? 0 : Math.floorMod(input[0] * 131, compressed.length + 1);
        byte[] stream = FrameCodecTest.concat(
                RawWs.frame(0x40 | 0x2, Arrays.copyOfRange(compressed, 0, fragmentAt), true),
                RawWs.frame(0x80, Arrays.copyOfRange(compressed, fragmentAt, compressed.length), true),
                RawWs.masked(0x8, RawWs.closePayload(1000, "")));
        String outcome = SplitEverywhere.check(stream, cuts ->
                String.join("\n", FrameCodecTest.decode(stream, MAX_MESSAGE, true, true, cuts)));
        if (roundTrip) {
            List<String> log = FrameCodecTest.decode(stream, MAX_MESSAGE, true, true);
            String expected = rest.length <= MAX_MESSAGE
                    ? "binary:" + rest.length + ":" + Arrays.hashCode(rest)
                    : "result:1009";
            if (!log.get(0).equals(expected)) {
                throw new AssertionError("a " + rest.length + "-byte message compressed at level "
                        + ((input[0] >> 1) & 7) + " came out as:\n" + outcome);
            }
        }
    }

    private static byte[] compress(byte[] message, int level) {
        Deflater d = new Deflater(level, true);
        try {
            d.setInput(message);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1024];
            int n;
            do {
                n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
                out.write(buf, 0, n);
            } while (n == buf.length);
            byte[] all = out.toByteArray();
            return Arrays.copyOf(all, all.length - 4); // RFC 7692 §7.2.1: drop 00 00 ff ff
        } finally {
            d.end();
        }
    }
}
