package io.eventide.lab.report;

import java.util.Locale;

/**
 * Number formatting for the reports: grouped integers for rates, two significant decimals for
 * small latencies, and {@code median [min-max]} for a {@link Stat}.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class Fmt {
    private Fmt() {
    }

    /**
     * @param v a value
     * @return it with precision suited to its size: whole numbers grouped ({@code 10,000}), others
     *     with two or three significant decimals ({@code 2.50}, {@code 0.066}) or none from 100 up
     */
    public static String num(double v) {
        double a = Math.abs(v);
        if (v == Math.rint(v) && a < 1e15) {
            return count((long) v); // counts (threads, connections, errors) have no fraction
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 0.995 || a == 0) {
            return String.format(Locale.ROOT, "%.2f", v).replaceAll("\\.00$", "");
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /**
     * @param s a stat, or null
     * @return {@code median [min–max]}, just the median when min equals max, or an en dash for null
     */
    public static String stat(Stat s) {
        if (s == null) {
            return "–";
        }
        String m = num(s.median());
        if (num(s.min()).equals(num(s.max()))) {
            return m;
        }
        return m + " [" + num(s.min()) + "–" + num(s.max()) + "]";
    }

    /** @param v an axis tick @return it without a fraction when it is whole, e.g. {@code 10,000}, {@code 0.5} */
    public static String tick(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? count((long) v) : num(v);
    }

    /** @param ratio a ratio @return e.g. {@code 3.4×} */
    public static String times(double ratio) {
        return String.format(Locale.ROOT, ratio >= 10 ? "%.0f×" : "%.1f×", ratio);
    }

    /** @param n a count of connections or requests per second @return e.g. {@code 10,000} */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
