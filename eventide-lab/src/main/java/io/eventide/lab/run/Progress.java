package io.eventide.lab.run;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar for a run whose steps have estimated lengths: fraction done, time spent, time
 * left, and the step under way. On a terminal it redraws one line every second; otherwise
 * (a log file, CI) it prints a line at most every 15 seconds.
 *
 * <pre>
 *  [##########..........]  48%  13:02 spent, ~14:10 left | delay 5,000 conn · jetty · rep 2/3
 * </pre>
 *
 * <p><b>Threading:</b> {@link #step} and {@link #finish} are called by the orchestrator's thread;
 * a daemon thread redraws the bar; the shared state is guarded by {@code this}.
 */
public final class Progress implements AutoCloseable {
    private static final int WIDTH = 28;

    private final PrintStream out;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private final Thread ticker;
    private double total;
    private double done;
    private double current;
    private long stepStart;
    private String label = "starting";
    private long lastPrinted;

    /**
     * @param out where to draw (standard error)
     * @param totalSeconds the estimated length of the whole run
     * @param terminal whether {@code out} is a terminal (redraw in place)
     */
    public Progress(PrintStream out, double totalSeconds, boolean terminal) {
        this.out = out;
        this.total = Math.max(1, totalSeconds);
        this.terminal = terminal;
        this.ticker = new Thread(this::tick, "lab-progress");
        this.ticker.setDaemon(true);
        this.ticker.start();
    }

    /**
     * Marks the previous step done and starts the next.
     *
     * @param what the step, for the bar
     * @param estimateSeconds its expected length
     */
    public synchronized void step(String what, double estimateSeconds) {
        done += current;
        current = estimateSeconds;
        stepStart = System.nanoTime();
        label = what;
        draw(false);
    }

    /** Finishes the bar with the time spent. */
    public synchronized void finish() {
        done += current;
        current = 0;
        total = done;
        label = "done";
        draw(true);
        if (terminal) {
            out.println();
        }
    }

    @Override
    public void close() {
        ticker.interrupt();
    }

    private void tick() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(1000); // blocking-ok: progress-bar thread of the orchestrator
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                draw(false);
            }
        }
    }

    private void draw(boolean force) {
        long now = System.nanoTime();
        if (!terminal && !force && now - lastPrinted < 15_000_000_000L) {
            return;
        }
        lastPrinted = now;
        double inStep = Math.min(current, (now - stepStart) / 1e9);
        double fraction = Math.min(1, (done + inStep) / total);
        double spent = (now - start) / 1e9;
        double left = fraction > 0.02 ? spent / fraction - spent : total - done - inStep;
        int filled = (int) Math.round(fraction * WIDTH);
        String line = String.format(Locale.ROOT, "[%s%s] %3.0f%%  %s spent, ~%s left | %s", "#".repeat(filled),
                ".".repeat(WIDTH - filled), fraction * 100, clock(spent), clock(Math.max(0, left)), label);
        if (terminal) {
            out.print("\r\033[2K" + (line.length() > 160 ? line.substring(0, 160) : line));
        } else {
            out.println(line);
        }
        out.flush();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
