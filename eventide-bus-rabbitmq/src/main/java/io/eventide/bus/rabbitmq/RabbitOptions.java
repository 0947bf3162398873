package io.eventide.bus.rabbitmq;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where the RabbitMQ broker is and how the bridge uses it.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>host, port</td><td>127.0.0.1, 5672</td></tr>
 *   <tr><td>username, password, virtualHost</td><td>guest, guest, /</td></tr>
 *   <tr><td>maxPendingSends</td><td>{@value #DEFAULT_MAX_PENDING_SENDS}: sends accepted and not yet
 *       confirmed; past it a send fails with {@code OverloadException}</td></tr>
 *   <tr><td>reconnectDelay</td><td>500 ms, doubled up to 5 s between attempts</td></tr>
 *   <tr><td>queueArguments</td><td>none besides {@code x-queue-type: quorum}</td></tr>
 * </table>
 *
 * @param host broker host
 * @param port broker port
 * @param username user
 * @param password password
 * @param virtualHost virtual host
 * @param maxPendingSends bound of accepted, unconfirmed sends
 * @param reconnectDelay first delay between reconnect attempts
 * @param queueArguments extra arguments of the quorum queues the bridge declares (e.g. {@code x-max-length})
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public record RabbitOptions(String host, int port, String username, String password, String virtualHost,
        int maxPendingSends, Duration reconnectDelay, Map<String, Object> queueArguments) {
    /** Default bound of unconfirmed sends. */
    public static final int DEFAULT_MAX_PENDING_SENDS = 8192;

    /** Validates and copies. */
    public RabbitOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(virtualHost, "virtualHost");
        Objects.requireNonNull(reconnectDelay, "reconnectDelay");
        if (maxPendingSends < 1) {
            throw new IllegalArgumentException("maxPendingSends must be >= 1: " + maxPendingSends);
        }
        queueArguments = Map.copyOf(queueArguments);
    }

    /** @return the defaults: guest on 127.0.0.1:5672 */
    public static RabbitOptions defaults() {
        return new RabbitOptions("127.0.0.1", 5672, "guest", "guest", "/", DEFAULT_MAX_PENDING_SENDS,
                Duration.ofMillis(500), Map.of());
    }

    /** @param h host @param p port @return a copy */
    public RabbitOptions address(String h, int p) {
        return new RabbitOptions(h, p, username, password, virtualHost, maxPendingSends, reconnectDelay, queueArguments);
    }

    /** @param user user @param pass password @return a copy */
    public RabbitOptions credentials(String user, String pass) {
        return new RabbitOptions(host, port, user, pass, virtualHost, maxPendingSends, reconnectDelay, queueArguments);
    }

    /** @param n bound of unconfirmed sends @return a copy */
    public RabbitOptions maxPendingSends(int n) {
        return new RabbitOptions(host, port, username, password, virtualHost, n, reconnectDelay, queueArguments);
    }

    /** @param d first reconnect delay @return a copy */
    public RabbitOptions reconnectDelay(Duration d) {
        return new RabbitOptions(host, port, username, password, virtualHost, maxPendingSends, d, queueArguments);
    }

    /** @param args extra quorum-queue arguments @return a copy */
    public RabbitOptions queueArguments(Map<String, Object> args) {
        return new RabbitOptions(host, port, username, password, virtualHost, maxPendingSends, reconnectDelay, args);
    }
}
