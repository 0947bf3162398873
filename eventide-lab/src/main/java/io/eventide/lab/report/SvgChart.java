package io.eventide.lab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Inline SVG charts with no script and no external reference, so a report stays readable offline
 * and in any browser: line charts (linear or log axes, min–max whiskers per point) and horizontal
 * bar charts.
 *
 * <pre>
 *   y |      o---o          each point: the median, with a whisker from min to max
 *     |  o--/     \o        dashed series: reference lines (Little's law, a pool's cap)
 *     +--------------- x    legend on the right
 * </pre>
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class SvgChart {
    private static final int W = 900;
    private static final int H = 380;
    private static final int LEFT = 78;
    private static final int TOP = 34;
    private static final int PLOT_W = 560;
    private static final int PLOT_H = 290;

    private SvgChart() {
    }

    /**
     * A value with its spread.
     *
     * <p><b>Threading:</b> immutable value; any thread.
     *
     * @param x position on the x axis (or the category index for bars)
     * @param y the median
     * @param lo the minimum
     * @param hi the maximum
     */
    public record Point(double x, double y, double lo, double hi) {
    }

    /**
     * One line, or one colour of bars.
     *
     * <p><b>Threading:</b> immutable value; any thread.
     *
     * @param name legend text
     * @param color CSS colour
     * @param dashed whether it is a reference line (dashed, no markers)
     * @param points its points
     */
    public record Series(String name, String color, boolean dashed, List<Point> points) {
        /** Copies the points. */
        public Series {
            points = List.copyOf(points);
        }
    }

    /**
     * @param title chart title
     * @param xLabel x axis label
     * @param yLabel y axis label
     * @param logX logarithmic x axis
     * @param logY logarithmic y axis
     * @param series the lines
     * @return an {@code <svg>} element
     */
    public static String line(String title, String xLabel, String yLabel, boolean logX, boolean logY,
            List<Series> series) {
        List<Point> all = new ArrayList<>();
        series.forEach(s -> all.addAll(s.points()));
        if (all.isEmpty()) {
            return "";
        }
        Axis x = Axis.tight(all.stream().mapToDouble(Point::x).toArray(), logX);
        double[] ys = all.stream().flatMapToDouble(p -> java.util.stream.DoubleStream.of(p.y(), p.lo(), p.hi()))
                .toArray();
        Axis y = Axis.of(ys, logY, true);
        StringBuilder sb = open(title);
        yGrid(sb, y, yLabel);
        TreeSet<Double> xs = new TreeSet<>();
        all.forEach(p -> xs.add(p.x()));
        for (double v : xs) {
            double px = LEFT + x.frac(v) * PLOT_W;
            sb.append(f("<text x='%.1f' y='%d' class='tick' text-anchor='middle'>%s</text>", px, TOP + PLOT_H + 16,
                    esc(Fmt.tick(v))));
        }
        sb.append(f("<text x='%d' y='%d' class='label' text-anchor='middle'>%s</text>", LEFT + PLOT_W / 2,
                TOP + PLOT_H + 36, esc(xLabel)));
        for (Series s : series) {
            StringBuilder path = new StringBuilder();
            for (Point p : s.points()) {
                path.append(path.isEmpty() ? "M" : " L").append(f("%.1f %.1f", LEFT + x.frac(p.x()) * PLOT_W,
                        TOP + (1 - y.frac(p.y())) * PLOT_H));
            }
            sb.append(f("<path d='%s' fill='none' stroke='%s' stroke-width='2'%s/>", path, s.color(),
                    s.dashed() ? " stroke-dasharray='6 4'" : ""));
            if (!s.dashed()) {
                for (Point p : s.points()) {
                    marker(sb, s, p, LEFT + x.frac(p.x()) * PLOT_W, y);
                }
            }
        }
        legend(sb, series);
        return sb.append("</svg>").toString();
    }

    /**
     * Horizontal bars: one row per category, one bar per series in it.
     *
     * @param title chart title
     * @param xLabel value axis label
     * @param logX logarithmic value axis
     * @param categories row labels
     * @param series bar colours; a point's x is its category index
     * @return an {@code <svg>} element
     */
    public static String bars(String title, String xLabel, boolean logX, List<String> categories,
            List<Series> series) {
        List<Point> all = new ArrayList<>();
        series.forEach(s -> all.addAll(s.points()));
        if (all.isEmpty() || categories.isEmpty()) {
            return "";
        }
        int labelW = 350;
        int plotW = W - labelW - 30;
        int rowH = Math.max(14, 12 * series.size() + 8);
        int height = TOP + categories.size() * rowH + 60;
        double[] vs = all.stream().flatMapToDouble(p -> java.util.stream.DoubleStream.of(p.y(), p.lo(), p.hi()))
                .toArray();
        Axis a = Axis.of(vs, logX, true);
        StringBuilder sb = new StringBuilder(f("<svg viewBox='0 0 %d %d' width='%d' height='%d' role='img'>", W,
                height, W, height));
        sb.append(f("<title>%s</title><text x='%d' y='20' class='title'>%s</text>", esc(title), 10, esc(title)));
        int plotBottom = TOP + categories.size() * rowH;
        for (double t : a.ticks()) {
            double px = labelW + a.frac(t) * plotW;
            sb.append(f("<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' class='grid'/>", px, TOP, px, plotBottom));
            sb.append(f("<text x='%.1f' y='%d' class='tick' text-anchor='middle'>%s</text>", px, plotBottom + 16,
                    esc(Fmt.tick(t))));
        }
        sb.append(f("<text x='%d' y='%d' class='label' text-anchor='middle'>%s</text>", labelW + plotW / 2,
                plotBottom + 36, esc(xLabel)));
        for (int c = 0; c < categories.size(); c++) {
            int rowTop = TOP + c * rowH;
            sb.append(f("<text x='%d' y='%d' class='tick' text-anchor='end'>%s</text>", labelW - 8,
                    rowTop + rowH / 2 + 4, esc(categories.get(c))));
            for (int s = 0; s < series.size(); s++) {
                for (Point p : series.get(s).points()) {
                    if ((int) p.x() != c) {
                        continue;
                    }
                    double x0 = labelW + a.frac(a.min) * plotW;
                    double x1 = labelW + a.frac(p.y()) * plotW;
                    double top = rowTop + 4 + s * 12;
                    sb.append(f("<rect x='%.1f' y='%.1f' width='%.1f' height='10' fill='%s'><title>%s: %s</title>"
                            + "</rect>", x0, top, Math.max(1, x1 - x0), series.get(s).color(),
                            esc(series.get(s).name()), esc(Fmt.stat(new Stat(p.y(), p.lo(), p.hi())))));
                    if (p.hi() > p.lo()) {
                        double lo = labelW + a.frac(p.lo()) * plotW;
                        double hi = labelW + a.frac(p.hi()) * plotW;
                        sb.append(f("<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' class='whisker'/>", lo, top + 5,
                                hi, top + 5));
                    }
                }
            }
        }
        int ly = plotBottom + 50;
        int lx = labelW;
        for (Series s : series) {
            sb.append(f("<rect x='%d' y='%d' width='12' height='10' fill='%s'/>", lx, ly - 9, s.color()));
            sb.append(f("<text x='%d' y='%d' class='tick'>%s</text>", lx + 16, ly, esc(s.name())));
            lx += 40 + 7 * s.name().length();
        }
        return sb.append("</svg>").toString();
    }

    private static StringBuilder open(String title) {
        StringBuilder sb = new StringBuilder(f("<svg viewBox='0 0 %d %d' width='%d' height='%d' role='img'>", W, H,
                W, H));
        sb.append(f("<title>%s</title><text x='%d' y='20' class='title'>%s</text>", esc(title), 10, esc(title)));
        sb.append(f("<rect x='%d' y='%d' width='%d' height='%d' class='frame'/>", LEFT, TOP, PLOT_W, PLOT_H));
        return sb;
    }

    private static void yGrid(StringBuilder sb, Axis y, String yLabel) {
        for (double t : y.ticks()) {
            double py = TOP + (1 - y.frac(t)) * PLOT_H;
            sb.append(f("<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' class='grid'/>", LEFT, py, LEFT + PLOT_W, py));
            sb.append(f("<text x='%d' y='%.1f' class='tick' text-anchor='end'>%s</text>", LEFT - 6, py + 4,
                    esc(Fmt.tick(t))));
        }
        sb.append(f("<text x='16' y='%d' class='label' text-anchor='middle' transform='rotate(-90 16 %d)'>%s</text>",
                TOP + PLOT_H / 2, TOP + PLOT_H / 2, esc(yLabel)));
    }

    private static void marker(StringBuilder sb, Series s, Point p, double px, Axis y) {
        double py = TOP + (1 - y.frac(p.y())) * PLOT_H;
        if (p.hi() > p.lo()) {
            double lo = TOP + (1 - y.frac(p.lo())) * PLOT_H;
            double hi = TOP + (1 - y.frac(p.hi())) * PLOT_H;
            sb.append(f("<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='%s' class='whisker'/>", px, lo, px, hi,
                    s.color()));
        }
        sb.append(f("<circle cx='%.1f' cy='%.1f' r='3.5' fill='%s'><title>%s @ %s: %s</title></circle>", px, py,
                s.color(), esc(s.name()), esc(Fmt.num(p.x())), esc(Fmt.stat(new Stat(p.y(), p.lo(), p.hi())))));
    }

    private static void legend(StringBuilder sb, List<Series> series) {
        int x = LEFT + PLOT_W + 20;
        int y = TOP + 10;
        for (Series s : series) {
            sb.append(f("<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='%s' stroke-width='3'%s/>", x, y - 4, x + 18,
                    y - 4, s.color(), s.dashed() ? " stroke-dasharray='4 3'" : ""));
            sb.append(f("<text x='%d' y='%d' class='tick'>%s</text>", x + 24, y, esc(s.name())));
            y += 18;
        }
    }

    /** Escapes text for XML. @param s text @return it, safe inside an element or attribute */
    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;")
                .replace("\"", "&quot;");
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** A linear or log axis over the data, with round tick values. */
    private record Axis(double min, double max, boolean log) {
        static Axis of(double[] values, boolean log, boolean fromZero) {
            double lo = Double.MAX_VALUE;
            double hi = -Double.MAX_VALUE;
            for (double v : values) {
                if (log && v <= 0) {
                    continue;
                }
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            if (lo == Double.MAX_VALUE) {
                lo = log ? 1 : 0;
                hi = log ? 10 : 1;
            }
            if (log) {
                return new Axis(Math.pow(10, Math.floor(Math.log10(lo))), Math.pow(10, Math.ceil(Math.log10(hi * 1.0001))),
                        true);
            }
            double min = fromZero ? Math.min(0, lo) : lo;
            double step = niceStep((hi - min) / 5);
            double max = Math.ceil(hi * 1.05 / step) * step;
            return new Axis(min, max <= min ? min + 1 : max, false);
        }

        /** An x axis: just around the data (the ticks are the data's own levels), not whole decades. */
        static Axis tight(double[] values, boolean log) {
            double lo = java.util.Arrays.stream(values).min().orElse(1);
            double hi = java.util.Arrays.stream(values).max().orElse(10);
            if (log && lo > 0) {
                return new Axis(lo / 1.25, hi * 1.25, true);
            }
            double pad = hi > lo ? (hi - lo) * 0.05 : 1;
            return new Axis(lo - pad, hi + pad, false);
        }

        double frac(double v) {
            if (log) {
                double c = Math.max(v, min);
                return (Math.log10(c) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
            }
            return max == min ? 0 : (v - min) / (max - min);
        }

        List<Double> ticks() {
            List<Double> t = new ArrayList<>();
            if (log) {
                boolean fine = max / min <= 1000;
                for (double d = min; d <= max * 1.0001; d *= 10) {
                    t.add(d);
                    if (fine && d * 2 < max) {
                        t.add(d * 2);
                    }
                    if (fine && d * 5 < max) {
                        t.add(d * 5);
                    }
                }
                return t;
            }
            double step = niceStep((max - min) / 5);
            for (double v = min; v <= max + step / 1000 && t.size() < 20; v += step) {
                t.add(v);
            }
            return t;
        }

        static double niceStep(double raw) {
            if (raw <= 0) {
                return 1;
            }
            double mag = Math.pow(10, Math.floor(Math.log10(raw)));
            double r = raw / mag;
            return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
        }
    }
}
