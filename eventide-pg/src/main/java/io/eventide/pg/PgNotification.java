package io.eventide.pg;

/**
 * A NOTIFY received by a LISTENing connection.
 *
 * @param channel the channel name
 * @param payload the payload (empty when none was given)
 * @param pid the process id of the notifying backend
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public record PgNotification(String channel, String payload, int pid) {
}
