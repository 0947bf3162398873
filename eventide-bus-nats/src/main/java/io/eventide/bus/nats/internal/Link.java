package io.eventide.bus.nats.internal;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.eventide.bus.nats.NatsOptions;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bridge's one NATS connection (jnats reconnects it by itself and resubscribes), and the
 * JetStream streams it has made sure of: one per address, named {@code EVENTIDE_<address>}, taking
 * the subject {@code <address>}, file storage, limits retention.
 *
 * <p><b>Threading:</b> any thread, but {@link #connection()} and {@link #ensureStream} block: the
 * bridge's own threads only, never a loop. Connecting is guarded by {@code this}; {@link #isConnected()}
 * reads the volatile field and never waits.
 */
public final class Link {
    private static final System.Logger LOG = System.getLogger("io.eventide.bus.nats");
    private final NatsOptions options;
    private final Set<String> streams = ConcurrentHashMap.newKeySet();
    private volatile Connection connection; // written under this; read without it (isConnected on any thread)
    private volatile boolean closed;

    /** @param options the server */
    public Link(NatsOptions options) {
        this.options = options;
    }

    /**
     * @return the connection, connecting first (blocks; retries are the caller's)
     * @throws IOException if the server cannot be reached now
     */
    public synchronized Connection connection() throws IOException {
        if (closed) {
            throw new IOException("NATS transport closed");
        }
        if (connection == null) {
            Options o = new Options.Builder().server(options.url()).connectionName("eventide")
                    .maxReconnects(-1).reconnectWait(options.reconnectDelay())
                    .connectionTimeout(java.time.Duration.ofSeconds(2))
                    .errorListener(new io.nats.client.ErrorListener() { })
                    .build();
            try {
                connection = Nats.connect(o);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while connecting to " + options.url(), e);
            }
        }
        return connection;
    }

    /** @return whether the connection is up now */
    public boolean isConnected() {
        Connection c = connection; // never waits for a connect in progress: loops call this
        return c != null && c.getStatus() == Connection.Status.CONNECTED;
    }

    /** @param address a bus address @return its stream's name */
    public static String stream(String address) {
        return "EVENTIDE_" + address.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /** @param address a bus address @return a durable consumer name for it */
    public static String durable(String address, String group) {
        return (group != null ? group : "eventide_" + address).replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /**
     * Creates the address's stream unless this link already made sure of it.
     *
     * @param address the address (its subject)
     * @throws IOException if the server cannot be reached
     * @throws JetStreamApiException if JetStream refuses
     */
    public void ensureStream(String address) throws IOException, JetStreamApiException {
        if (streams.contains(address)) {
            return;
        }
        JetStreamManagement jsm = connection().jetStreamManagement();
        String name = stream(address);
        try {
            jsm.getStreamInfo(name);
        } catch (JetStreamApiException notFound) {
            if (notFound.getApiErrorCode() != 10059) { // stream not found
                throw notFound;
            }
            jsm.addStream(StreamConfiguration.builder().name(name).subjects(address).storageType(StorageType.File)
                    .maxAge(options.maxAge()).build());
            LOG.log(Level.DEBUG, "created JetStream stream " + name);
        }
        streams.add(address);
    }

    /** Forgets the streams made sure of (after one was deleted, say). */
    public void forgetStreams() {
        streams.clear();
    }

    /** Closes the connection. */
    public void close() {
        closed = true;
        Connection c;
        synchronized (this) {
            c = connection;
            connection = null;
        }
        if (c != null) {
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
