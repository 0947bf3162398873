package io.eventide.lab.report;

import java.util.Arrays;

/**
 * One metric over the repetitions of a cell: median, min and max.
 *
 * <p><b>Threading:</b> immutable value; any thread.
 *
 * @param median the median (the mean of the two middle values for an even count)
 * @param min the smallest
 * @param max the largest
 */
public record Stat(double median, double min, double max) {

    /**
     * @param values one value per repetition, at least one
     * @return their median, min and max
     */
    public static Stat of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return new Stat(median, v[0], v[n - 1]);
    }

    /** @return max - min relative to the median (0 when the median is 0) */
    public double spread() {
        return median == 0 ? 0 : (max - min) / Math.abs(median);
    }
}
