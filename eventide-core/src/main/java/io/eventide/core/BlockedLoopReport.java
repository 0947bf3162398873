package io.eventide.core;

import java.time.Duration;

/**
 * What the watchdog saw when a task held a loop past the threshold: which loop, which handler was
 * running, for how long so far, and the loop thread's stack at that moment. Reported once per task.
 *
 * @param loopName the loop's thread name
 * @param handler name of the handler or task that was running
 * @param blockedFor how long the task had been running when reported (at least the threshold)
 * @param stack the loop thread's stack trace when reported
 *
 * <p><b>Threading:</b> immutable value; delivered on the watchdog thread.
 */
public record BlockedLoopReport(String loopName, String handler, Duration blockedFor, StackTraceElement[] stack) {

    /** @return a multi-line description with the stack trace, for logs */
    public String describe() {
        StringBuilder sb = new StringBuilder()
                .append("Loop ").append(loopName).append(" has been blocked for ").append(blockedFor.toMillis())
                .append(" ms by handler '").append(handler).append("'; its stack:");
        for (StackTraceElement e : stack) {
            sb.append("\n\tat ").append(e);
        }
        return sb.toString();
    }
}
