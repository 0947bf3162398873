package io.eventide.core.spi;

import io.eventide.core.BlockedLoopReport;

/**
 * Receives the watchdog's blocked-loop reports that reached the default sink (those of groups that
 * installed no {@code onBlocked} sink of their own), besides the log. Implementations are found
 * once with {@link java.util.ServiceLoader}; a test kit registers one to fail the test during which
 * a loop blocked, the way Vert.x tests fail on a {@code BlockedThreadChecker} warning.
 *
 * <p><b>Threading:</b> called on a watchdog thread, never on a loop; must not block for long.
 */
public interface BlockedLoopListener {
    /** @param report what the watchdog saw */
    void blocked(BlockedLoopReport report);
}
