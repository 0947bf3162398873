package io.eventide.demo;

import io.eventide.bus.kafka.KafkaOptions;
import io.eventide.bus.kafka.KafkaTransport;
import io.eventide.bus.nats.NatsOptions;
import io.eventide.bus.nats.NatsTransport;
import io.eventide.bus.rabbitmq.RabbitOptions;
import io.eventide.bus.rabbitmq.RabbitTransport;
import io.eventide.bus.spi.Transport;
import io.eventide.core.LoopGroup;
import io.eventide.pg.PgClient;
import io.eventide.pg.PgOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Locale;

/**
 * What the machine offers the cluster demo, found once at startup with short timeouts: a broker for
 * events across workers (RabbitMQ on 5672, else NATS on 4222; Kafka only when configured) and
 * PostgreSQL for the chat history (5432). Nothing is required: without a broker each worker's chat
 * and dashboard are its own; without PostgreSQL the history is kept in memory. The page says which.
 *
 * <table>
 *   <caption>Settings (system property, else environment variable)</caption>
 *   <tr><th>property</th><th>environment</th><th>meaning</th></tr>
 *   <tr><td>{@code demo.broker}</td><td>{@code DEMO_BROKER}</td><td>{@code auto} (default),
 *       {@code rabbitmq}, {@code nats}, {@code kafka} or {@code none}</td></tr>
 *   <tr><td>{@code demo.rabbitmq}</td><td>{@code DEMO_RABBITMQ}</td><td>{@code host:port}, default
 *       {@code 127.0.0.1:5672} (guest/guest)</td></tr>
 *   <tr><td>{@code demo.nats}</td><td>{@code DEMO_NATS}</td><td>URL, default {@code nats://127.0.0.1:4222}</td></tr>
 *   <tr><td>{@code demo.kafka}</td><td>{@code DEMO_KAFKA}</td><td>bootstrap servers; unset: Kafka is never
 *       probed</td></tr>
 *   <tr><td>{@code demo.pg}</td><td>{@code DEMO_PG}</td><td>a {@code postgresql://} URI, or {@code off};
 *       default: the libpq variables (PGHOST, PGDATABASE, ...), else postgres@127.0.0.1:5432/postgres</td></tr>
 *   <tr><td>{@code demo.namespace}</td><td>{@code DEMO_NAMESPACE}</td><td>prefix of the broker
 *       addresses and the name of the history table, default {@value #DEFAULT_NAMESPACE}</td></tr>
 * </table>
 *
 * <p><b>Threading:</b> {@link #discover} blocks (socket probes, one query): call it from
 * {@code main}, never from a loop. The result is immutable.
 *
 * @param transport the broker bridge, or null without a broker
 * @param brokerKind {@code rabbitmq}, {@code nats}, {@code kafka} or {@code none}
 * @param pg the PostgreSQL client, or null without a database
 * @param pgName where the database is ({@code postgresql://host:port/db}), or why there is none
 * @param namespace prefix of every broker address and name of the history table
 */
record Services(Transport transport, String brokerKind, PgClient pg, String pgName, String namespace) {
    /** The default namespace. */
    public static final String DEFAULT_NAMESPACE = "eventide-demo";
    private static final int PROBE_MS = 300;
    private static final Duration PG_CHECK = Duration.ofSeconds(3);

    /**
     * Probes the broker and the database (each in well under a second when absent).
     *
     * @param group the loops the bus and the database client run on
     * @return what was found
     */
    public static Services discover(LoopGroup group) {
        String namespace = setting("demo.namespace", "DEMO_NAMESPACE", DEFAULT_NAMESPACE);
        if (!namespace.matches("[a-z0-9_-]{1,40}")) {
            throw new IllegalArgumentException("demo.namespace: 1 to 40 of a-z, 0-9, '_', '-', got '" + namespace + "'");
        }
        Broker b = findBroker();
        String pgSetting = setting("demo.pg", "DEMO_PG", "");
        PgClient pg = null;
        String pgName;
        if (pgSetting.equals("off")) {
            pgName = "off (demo.pg=off)";
        } else {
            PgOptions o = (pgSetting.isEmpty() ? PgOptions.fromEnv() : PgOptions.fromUri(pgSetting))
                    .applicationName("eventide-demo").connectTimeout(Duration.ofSeconds(2)).maxSize(2)
                    .onNotice(n -> { }); // the only notices: "already exists, skipping" from every start after the first
            pgName = "postgresql://" + o.host() + ":" + o.port() + "/" + o.database();
            if (!reachable(o.host(), o.port())) {
                pgName = "none answers at " + o.host() + ":" + o.port();
            } else {
                PgClient client = PgClient.create(group, o);
                try {
                    client.query("SELECT 1").join(PG_CHECK); // blocking-ok: startup, on main
                    // Several workers start at once: one at a time (the lock) creates the table. One
                    // simple-query string is one implicit transaction, so the lock ends with it.
                    client.script("SELECT pg_advisory_xact_lock(4127001); CREATE TABLE IF NOT EXISTS " + table(namespace)
                            + " (id bigserial PRIMARY KEY, room text NOT NULL, name text NOT NULL, text text NOT NULL,"
                            + " worker text NOT NULL, at timestamptz NOT NULL DEFAULT now()); CREATE INDEX IF NOT EXISTS "
                            + table(namespace) + "_room ON " + table(namespace) + " (room, id)").join(PG_CHECK); // blocking-ok: startup
                    pg = client;
                } catch (RuntimeException e) {
                    client.close();
                    pgName = pgName + " refused: " + e.getMessage();
                }
            }
        }
        return new Services(b.transport, b.kind, pg, pgName, namespace);
    }

    private record Broker(Transport transport, String kind) {
    }

    private static Broker findBroker() {
        String choice = setting("demo.broker", "DEMO_BROKER", "auto").toLowerCase(Locale.ROOT);
        String rabbit = setting("demo.rabbitmq", "DEMO_RABBITMQ", "127.0.0.1:5672");
        String nats = setting("demo.nats", "DEMO_NATS", "nats://127.0.0.1:4222");
        String kafka = setting("demo.kafka", "DEMO_KAFKA", "");
        boolean auto = choice.equals("auto");
        if ((auto || choice.equals("rabbitmq")) && reachable(host(rabbit), port(rabbit, 5672))) {
            return new Broker(RabbitTransport.create(RabbitOptions.defaults().address(host(rabbit), port(rabbit, 5672))), "rabbitmq");
        }
        String natsAddr = nats.replaceFirst("^nats://", "");
        if ((auto || choice.equals("nats")) && reachable(host(natsAddr), port(natsAddr, 4222))) {
            // Streams keep an hour: the dashboard's samples are not worth a day of disk.
            NatsOptions o = new NatsOptions(nats, NatsOptions.DEFAULT_MAX_PENDING_SENDS, Duration.ofMillis(250), Duration.ofHours(1));
            return new Broker(NatsTransport.create(o), "nats");
        }
        String firstKafka = kafka.split(",")[0];
        if ((auto || choice.equals("kafka")) && !kafka.isEmpty() && reachable(host(firstKafka), port(firstKafka, 9092))) {
            return new Broker(KafkaTransport.create(KafkaOptions.defaults().bootstrapServers(kafka)), "kafka");
        }
        if (!auto && !choice.equals("none")) {
            System.err.println("eventide: demo.broker=" + choice + " does not answer (or is not one of rabbitmq, nats,"
                    + " kafka, none); running without a broker");
        }
        return new Broker(null, "none");
    }

    /** @return a short description of the fan-out between workers, for the page */
    public String broker() {
        return transport == null ? "none" : transport.name();
    }

    /** @return the broker address for {@code name} in this demo's namespace */
    public String address(String name) {
        return namespace + "." + name;
    }

    /** @return the history table's name (the namespace, an identifier once '-' becomes '_') */
    public String table() {
        return table(namespace);
    }

    private static String table(String namespace) {
        return namespace.replace('-', '_') + "_chat";
    }

    /** @return the LISTEN/NOTIFY channel of the chat, when PostgreSQL carries the fan-out */
    public String channel() {
        return namespace.replace('-', '_') + "_chat";
    }

    static boolean reachable(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), PROBE_MS); // blocking-ok: startup probe, on main
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false; // nothing listens there (or the address is wrong): the demo goes without
        }
    }

    private static String host(String hostPort) {
        int c = hostPort.lastIndexOf(':');
        return c < 0 ? hostPort : hostPort.substring(0, c);
    }

    private static int port(String hostPort, int dflt) {
        int c = hostPort.lastIndexOf(':');
        try {
            return c < 0 ? dflt : Integer.parseInt(hostPort.substring(c + 1));
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    static String setting(String property, String env, String dflt) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? dflt : v.trim();
    }
}
