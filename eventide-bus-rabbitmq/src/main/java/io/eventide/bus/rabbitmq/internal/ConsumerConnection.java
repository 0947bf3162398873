package io.eventide.bus.rabbitmq.internal;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.eventide.bus.rabbitmq.RabbitOptions;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * The connection every consumer of one transport shares, apart from the publisher's: when the
 * broker blocks publishing it blocks the whole connection, and acknowledgements must still flow.
 * The client's automatic recovery reconnects it and recovers its topology (queues, exchanges,
 * bindings, qos, consumers), so a restarted broker resumes deliveries by itself.
 *
 * <p><b>Threading:</b> any thread, but {@link #get()} blocks while connecting: consumers' own
 * threads only. Guarded by {@code this}.
 */
public final class ConsumerConnection {
    private final ConnectionFactory factory;
    private final String name;
    private Connection connection;
    private boolean closed;

    /** @param options broker @param name connection name shown by the broker */
    public ConsumerConnection(RabbitOptions options, String name) {
        this.factory = Amqp.factory(options);
        this.factory.setAutomaticRecoveryEnabled(true);
        this.factory.setTopologyRecoveryEnabled(true);
        this.name = name;
    }

    /**
     * @return the shared connection, connecting first if needed
     * @throws IOException if the broker cannot be reached now (the caller retries later)
     */
    public synchronized Connection get() throws IOException {
        if (closed) {
            throw new IOException("transport closed");
        }
        if (connection == null) {
            try {
                connection = factory.newConnection(name);
            } catch (TimeoutException e) {
                throw new IOException("timed out connecting to RabbitMQ", e);
            }
        }
        return connection;
    }

    /** Closes the connection (its recovery stops with it). */
    public synchronized void close() {
        closed = true;
        if (connection != null) {
            try {
                connection.close(2_000);
            } catch (IOException | com.rabbitmq.client.AlreadyClosedException e) {
                // Closing what is already failing.
            }
            connection = null;
        }
    }
}
