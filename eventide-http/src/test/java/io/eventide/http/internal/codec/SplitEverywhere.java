package io.eventide.http.internal.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The fuzz targets' form of the split-everywhere property: a parser fed an input whole, byte by
 * byte, and cut at two places the input itself picks, in heap, direct and read-only buffers, ends
 * in the same outcome (described as a string by the parser's test harness). An outcome the
 * harness marks {@code BUG:} (e.g. {@code NEED_MORE} with bytes left unread) fails at once.
 *
 * <p><b>Threading:</b> pure functions; any thread.
 */
public final class SplitEverywhere {
    private SplitEverywhere() {
    }

    /**
     * @param length the input's length
     * @param seed picks the two cut positions
     * @return whole, byte by byte, and two cuts
     */
    public static List<int[]> cuttings(int length, int seed) {
        List<int[]> all = new ArrayList<>();
        all.add(new int[0]);
        int[] everyByte = new int[Math.max(0, length - 1)];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        all.add(everyByte);
        if (length > 2) {
            int a = 1 + Math.floorMod(seed, length - 1);
            int b = 1 + Math.floorMod(seed * 31 + 7, length - 1);
            all.add(a == b ? new int[] {a} : new int[] {Math.min(a, b), Math.max(a, b)});
        }
        return all;
    }

    /**
     * Checks the property for a harness taking cuts and a buffer kind.
     *
     * @param input the input
     * @param parse feeds {@code input} cut as told into a fresh parser and describes the outcome
     * @return the outcome
     */
    public static String check(byte[] input, BiFunction<int[], Feeds.Kind, String> parse) {
        String expected = parse.apply(new int[0], Feeds.Kind.HEAP);
        List<int[]> cuttings = cuttings(input.length, Arrays.hashCode(input));
        for (int i = 0; i < cuttings.size(); i++) {
            compare(expected, parse.apply(cuttings.get(i), Feeds.kind(i + 1)), cuttings.get(i));
        }
        return expected;
    }

    /**
     * Checks the property for a harness taking cuts only.
     *
     * @param input the input
     * @param parse feeds {@code input} cut as told into a fresh parser and describes the outcome
     * @return the outcome
     */
    public static String check(byte[] input, Function<int[], String> parse) {
        return check(input, (cuts, kind) -> parse.apply(cuts));
    }

    private static void compare(String expected, String actual, int[] cuts) {
        if (expected.startsWith("BUG") || !expected.equals(actual)) {
            String at = cuts.length > 16 ? "every byte" : Arrays.toString(cuts);
            throw new AssertionError("fed whole: " + expected + "\nfed cut at " + at + ": " + actual);
        }
    }
}
