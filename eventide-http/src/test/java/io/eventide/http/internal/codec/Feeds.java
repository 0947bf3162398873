package io.eventide.http.internal.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Ways to cut one input into the buffers a socket might deliver, and to wrap each piece the ways
 * a connection might hold it: a heap buffer whose array starts before the data, a direct buffer,
 * and a read-only heap buffer (no accessible array).
 */
final class Feeds {
    enum Kind { HEAP, DIRECT, READ_ONLY }

    private Feeds() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static ByteBuffer wrap(byte[] input, int from, int to, Kind kind) {
        int n = to - from;
        return switch (kind) {
            case HEAP -> {
                // Place the data mid-array so arrayOffset() and position() both matter.
                byte[] array = new byte[n + 11];
                System.arraycopy(input, from, array, 5, n);
                ByteBuffer slice = ByteBuffer.wrap(array, 2, n + 6).slice();
                yield slice.position(3).limit(3 + n);
            }
            case DIRECT -> ByteBuffer.allocateDirect(n).put(input, from, n).flip();
            case READ_ONLY -> ByteBuffer.wrap(input, from, n).slice().asReadOnlyBuffer();
        };
    }

    /** Every way the tests cut an input: whole, byte by byte, every two-piece split, random. */
    static List<int[]> cuttings(int length) {
        List<int[]> all = new ArrayList<>();
        all.add(new int[0]);
        int[] everyByte = new int[Math.max(0, length - 1)];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        all.add(everyByte);
        for (int cut = 0; cut <= length; cut++) {
            all.add(new int[] {cut});
        }
        Random random = new Random(length);
        for (int r = 0; r < 20 && length > 2; r++) {
            int a = 1 + random.nextInt(length - 1);
            int b = 1 + random.nextInt(length - 1);
            all.add(new int[] {Math.min(a, b), Math.max(a, b)});
        }
        return all;
    }

    static Kind kind(int variant) {
        return Kind.values()[variant % Kind.values().length];
    }
}
