package io.eventide.lab.driver;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one {@link OpenModelDriver} run measured.
 *
 * <p><b>Threading:</b> immutable value; any thread.
 *
 * @param offeredRps the arrival rate asked for
 * @param achievedRps answers that ended inside the measured window, per second
 * @param sent requests written
 * @param answered responses read (any status)
 * @param errors responses with a status outside 2xx
 * @param lost requests whose connection broke before the answer
 * @param incomplete requests due but unanswered (or unsent) when the drain ended
 * @param connections connections opened at the start
 * @param reconnects connections opened again after the server closed one
 * @param meanOutstanding time-averaged number of requests due but unanswered (Little's L)
 * @param latency latency of every request due in the window, from its due time
 * @param byLabel the same per kind of request in the mix
 */
public record OpenModelResult(double offeredRps, double achievedRps, long sent, long answered, long errors,
        long lost, long incomplete, int connections, long reconnects, double meanOutstanding,
        LatencySummary latency, Map<String, LatencySummary> byLabel) {

    /** Copies the map, keeping the mix's order. */
    public OpenModelResult {
        byLabel = Collections.unmodifiableMap(new LinkedHashMap<>(byLabel));
    }
}
