package io.eventide.cli;

import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import java.time.Duration;

/**
 * Samples each loop's busy ratio (share of wall time not spent sleeping in select) over short
 * windows, on the loop itself, so dashboards and metrics read a recent figure, not a lifetime
 * average.
 *
 * <p><b>Threading:</b> sampling runs on each loop; {@link #busyRatio(int)} may be read from any thread.
 */
public final class LoopSampler {
    private final LoopGroup group;
    private final double[] busy;
    private final long[] lastIdle;
    private final long[] lastUptime;

    /**
     * @param group the loops
     * @param every sampling period
     */
    public LoopSampler(LoopGroup group, Duration every) {
        this.group = group;
        int n = group.size();
        this.busy = new double[n];
        this.lastIdle = new long[n];
        this.lastUptime = new long[n];
        for (int i = 0; i < n; i++) {
            int idx = i;
            EventLoop loop = group.loop(i);
            loop.setInterval(every, () -> sample(idx, loop));
        }
    }

    private void sample(int i, EventLoop loop) {
        long idle = loop.idleNanos();
        long up = loop.uptimeNanos();
        long dUp = up - lastUptime[i];
        if (dUp > 0 && lastUptime[i] != 0) {
            double ratio = 1.0 - (double) (idle - lastIdle[i]) / dUp;
            synchronized (busy) {
                busy[i] = Math.max(0, Math.min(1, ratio));
            }
        }
        lastIdle[i] = idle;
        lastUptime[i] = up;
    }

    /** @param loop loop index @return the busy ratio of the last window, 0..1 */
    public double busyRatio(int loop) {
        synchronized (busy) {
            return busy[loop];
        }
    }

    /** @return the number of loops */
    public int size() {
        return group.size();
    }
}
