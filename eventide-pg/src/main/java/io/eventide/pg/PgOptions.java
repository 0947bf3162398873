package io.eventide.pg;

import io.eventide.core.tls.ClientTls;
import io.eventide.core.tls.TlsTrust;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Settings of a {@link PgClient}: where to connect, how to authenticate, and the pool's limits.
 * Start from {@link #defaults()} and change what differs; every change returns a copy:
 * {@code PgOptions.defaults().database("app").user("app").password(secret).maxSize(8)}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>host, port</td><td>127.0.0.1, 5432</td><td>the server</td></tr>
 *   <tr><td>database, user</td><td>postgres, postgres</td><td>startup parameters</td></tr>
 *   <tr><td>password</td><td>none</td><td>for cleartext, MD5 and SCRAM-SHA-256</td></tr>
 *   <tr><td>sslMode</td><td>DISABLE</td><td>see {@link SslMode}</td></tr>
 *   <tr><td>maxSize</td><td>{@value #DEFAULT_MAX_SIZE}</td><td>connections per loop</td></tr>
 *   <tr><td>maxWaiters</td><td>{@value #DEFAULT_MAX_WAITERS}</td><td>requests queued per loop for a
 *       connection; past it they fail at once with {@code OverloadException}</td></tr>
 *   <tr><td>acquireTimeout</td><td>5 s</td><td>how long a request may wait for a connection
 *       before it fails with {@code OverloadException}</td></tr>
 *   <tr><td>idleTimeout</td><td>10 min</td><td>an idle connection is closed after this</td></tr>
 *   <tr><td>maxLifetime</td><td>30 min</td><td>a connection is retired (when idle) after this,
 *       less a random jitter of up to a tenth, so a pool does not reconnect all at once</td></tr>
 *   <tr><td>pipelineLimit</td><td>{@value #DEFAULT_PIPELINE_LIMIT}</td><td>statements in flight on
 *       one connection</td></tr>
 *   <tr><td>statementCacheSize</td><td>{@value #DEFAULT_STATEMENT_CACHE}</td><td>prepared statements
 *       kept per connection (LRU); 0 runs every statement unnamed</td></tr>
 *   <tr><td>fetchSize</td><td>{@value #DEFAULT_FETCH_SIZE}</td><td>rows per round trip when
 *       streaming</td></tr>
 *   <tr><td>connectTimeout</td><td>10 s</td><td>TCP connect plus startup and authentication</td></tr>
 *   <tr><td>maxMessageBytes</td><td>{@value #DEFAULT_MAX_MESSAGE}</td><td>largest backend message
 *       accepted (a row, a COPY chunk)</td></tr>
 *   <tr><td>queryTimeout</td><td>none</td><td>a statement still running after this is cancelled
 *       (57014)</td></tr>
 *   <tr><td>askProtocol32</td><td>true</td><td>ask for protocol 3.2; servers before 18 answer with
 *       NegotiateProtocolVersion and 3.0 is used</td></tr>
 * </table>
 *
 * <p><b>Threading:</b> immutable; any thread.
 */
public final class PgOptions {
    /** Default connections per loop. */
    public static final int DEFAULT_MAX_SIZE = 4;
    /** Default queued requests per loop. */
    public static final int DEFAULT_MAX_WAITERS = 1024;
    /** Default statements in flight per connection. */
    public static final int DEFAULT_PIPELINE_LIMIT = 256;
    /** Default prepared statements per connection. */
    public static final int DEFAULT_STATEMENT_CACHE = 256;
    /** Default rows per round trip when streaming. */
    public static final int DEFAULT_FETCH_SIZE = 1000;
    /** Default largest backend message, bytes. */
    public static final int DEFAULT_MAX_MESSAGE = 256 * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger("io.eventide.pg");

    private String host = "127.0.0.1";
    private int port = 5432;
    private String database = "postgres";
    private String user = "postgres";
    private String password;
    private String applicationName = "eventide";
    private SslMode sslMode = SslMode.DISABLE;
    private ClientTls tls;
    /** What the TLS layer uses under sslMode: built when the options are set, not on a loop. */
    private ClientTls effectiveTls;
    private int maxSize = DEFAULT_MAX_SIZE;
    private int maxWaiters = DEFAULT_MAX_WAITERS;
    private Duration acquireTimeout = Duration.ofSeconds(5);
    private Duration idleTimeout = Duration.ofMinutes(10);
    private Duration maxLifetime = Duration.ofMinutes(30);
    private int pipelineLimit = DEFAULT_PIPELINE_LIMIT;
    private int statementCacheSize = DEFAULT_STATEMENT_CACHE;
    private int fetchSize = DEFAULT_FETCH_SIZE;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private int maxMessageBytes = DEFAULT_MAX_MESSAGE;
    private boolean askProtocol32 = true;
    private Map<String, String> parameters = Map.of();
    private Duration queryTimeout = Duration.ZERO;
    private Consumer<PgNotice> onNotice = n -> LOG.log(System.Logger.Level.INFO, "PostgreSQL " + n.severity()
            + ": " + n.message());

    private PgOptions() {
    }

    private PgOptions copy(Consumer<PgOptions> change) {
        PgOptions o = new PgOptions();
        o.host = host;
        o.port = port;
        o.database = database;
        o.user = user;
        o.password = password;
        o.applicationName = applicationName;
        o.sslMode = sslMode;
        o.tls = tls;
        o.effectiveTls = effectiveTls;
        o.maxSize = maxSize;
        o.maxWaiters = maxWaiters;
        o.acquireTimeout = acquireTimeout;
        o.idleTimeout = idleTimeout;
        o.maxLifetime = maxLifetime;
        o.pipelineLimit = pipelineLimit;
        o.statementCacheSize = statementCacheSize;
        o.fetchSize = fetchSize;
        o.connectTimeout = connectTimeout;
        o.maxMessageBytes = maxMessageBytes;
        o.askProtocol32 = askProtocol32;
        o.parameters = parameters;
        o.onNotice = onNotice;
        o.queryTimeout = queryTimeout;
        change.accept(o);
        return o;
    }

    /** @return the defaults */
    public static PgOptions defaults() {
        return new PgOptions();
    }

    /**
     * Options from a connection URI, as libpq reads them:
     * {@code postgresql://user:password@host:port/database?sslmode=require&application_name=app}
     * (also {@code postgres://}); parts left out keep their defaults; percent-escapes are decoded.
     * Query parameters other than sslmode and application_name become startup parameters.
     *
     * @param uri the URI
     * @return the options
     * @throws IllegalArgumentException for another scheme or a malformed URI
     */
    public static PgOptions fromUri(String uri) {
        return ConnectionStrings.fromUri(uri);
    }

    /**
     * Options from the libpq environment variables PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD,
     * PGSSLMODE and PGAPPNAME; unset ones keep their defaults.
     *
     * @return the options
     */
    public static PgOptions fromEnv() {
        return fromEnv(System.getenv());
    }

    static PgOptions fromEnv(Map<String, String> env) {
        return ConnectionStrings.fromEnv(env);
    }

    /** @param h server host @return a copy with it */
    public PgOptions host(String h) {
        Objects.requireNonNull(h, "host");
        return copy(o -> o.host = h);
    }

    /** @param p server port @return a copy with it */
    public PgOptions port(int p) {
        if (p < 1 || p > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + p);
        }
        return copy(o -> o.port = p);
    }

    /** @param d database name @return a copy with it */
    public PgOptions database(String d) {
        Objects.requireNonNull(d, "database");
        return copy(o -> o.database = d);
    }

    /** @param u user name @return a copy with it */
    public PgOptions user(String u) {
        Objects.requireNonNull(u, "user");
        return copy(o -> o.user = u);
    }

    /** @param pw password, or null for none @return a copy with it */
    public PgOptions password(String pw) {
        return copy(o -> o.password = pw);
    }

    /** @param name the application_name reported to the server @return a copy with it */
    public PgOptions applicationName(String name) {
        Objects.requireNonNull(name, "applicationName");
        return copy(o -> o.applicationName = name);
    }

    /**
     * @param mode TLS mode, libpq's {@code sslmode}; a mode that uses TLS builds its TLS context now
     *     (reading the trust store), so set it at start-up, not on a loop
     * @return a copy with it
     */
    public PgOptions sslMode(SslMode mode) {
        Objects.requireNonNull(mode, "sslMode");
        return copy(o -> {
            o.sslMode = mode;
            o.effectiveTls = effectiveTls(mode, o.tls);
        });
    }

    /**
     * @param clientTls whom to trust under {@code verify-ca} and {@code verify-full} (default: the
     *     JDK's trusted CAs), and a client certificate if the server asks for one; host names are
     *     checked under verify-full only, whatever {@code clientTls} says. Built now: not on a loop.
     * @return a copy with it
     */
    public PgOptions tls(ClientTls clientTls) {
        Objects.requireNonNull(clientTls, "tls");
        return copy(o -> {
            o.tls = clientTls;
            o.effectiveTls = effectiveTls(o.sslMode, clientTls);
        });
    }

    private static ClientTls effectiveTls(SslMode mode, ClientTls configured) {
        return switch (mode) {
            case DISABLE, ALLOW -> null;
            case PREFER, REQUIRE -> UncheckedTls.INSTANCE; // libpq checks nothing here either
            case VERIFY_CA -> (configured != null ? configured : ClientTls.defaults()).verifyHostname(false);
            case VERIFY_FULL -> (configured != null ? configured : ClientTls.defaults()).verifyHostname(true);
        };
    }

    /** Encryption without authentication, for prefer and require: built once, on first use. */
    private static final class UncheckedTls {
        static final ClientTls INSTANCE = ClientTls.defaults().trust(TlsTrust.anyCertificate()).verifyHostname(false);
    }

    /** @param n connections per loop, at least 1 @return a copy with it */
    public PgOptions maxSize(int n) {
        positive(n, "maxSize");
        return copy(o -> o.maxSize = n);
    }

    /** @param n requests queued per loop, at least 0 @return a copy with it */
    public PgOptions maxWaiters(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("maxWaiters must be >= 0, got " + n);
        }
        return copy(o -> o.maxWaiters = n);
    }

    /** @param d longest wait for a connection @return a copy with it */
    public PgOptions acquireTimeout(Duration d) {
        positive(d, "acquireTimeout");
        return copy(o -> o.acquireTimeout = d);
    }

    /** @param d idle limit of a pooled connection @return a copy with it */
    public PgOptions idleTimeout(Duration d) {
        positive(d, "idleTimeout");
        return copy(o -> o.idleTimeout = d);
    }

    /** @param d age at which a connection is retired @return a copy with it */
    public PgOptions maxLifetime(Duration d) {
        positive(d, "maxLifetime");
        return copy(o -> o.maxLifetime = d);
    }

    /** @param n statements in flight per connection, at least 1 @return a copy with it */
    public PgOptions pipelineLimit(int n) {
        positive(n, "pipelineLimit");
        return copy(o -> o.pipelineLimit = n);
    }

    /** @param n prepared statements per connection; 0 for none @return a copy with it */
    public PgOptions statementCacheSize(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("statementCacheSize must be >= 0, got " + n);
        }
        return copy(o -> o.statementCacheSize = n);
    }

    /** @param n rows per round trip when streaming @return a copy with it */
    public PgOptions fetchSize(int n) {
        positive(n, "fetchSize");
        return copy(o -> o.fetchSize = n);
    }

    /** @param d connect plus authentication deadline @return a copy with it */
    public PgOptions connectTimeout(Duration d) {
        positive(d, "connectTimeout");
        return copy(o -> o.connectTimeout = d);
    }

    /** @param n largest backend message accepted @return a copy with it */
    public PgOptions maxMessageBytes(int n) {
        positive(n, "maxMessageBytes");
        return copy(o -> o.maxMessageBytes = n);
    }

    /** @param ask whether to ask for protocol 3.2 @return a copy with it */
    public PgOptions askProtocol32(boolean ask) {
        return copy(o -> o.askProtocol32 = ask);
    }

    /**
     * @param name a run-time parameter sent at startup (e.g. {@code search_path})
     * @param value its value
     * @return a copy with it
     */
    public PgOptions parameter(String name, String value) {
        Map<String, String> m = new LinkedHashMap<>(parameters);
        m.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
        Map<String, String> frozen = java.util.Collections.unmodifiableMap(m);
        return copy(o -> o.parameters = frozen);
    }

    /**
     * @param d how long a statement of {@link PgClient#query} or {@link PgClient#batch} may take
     *     before it is cancelled (CancelRequest; it then fails with 57014); {@link Duration#ZERO}
     *     for no limit (the default)
     * @return a copy with it
     */
    public PgOptions queryTimeout(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("queryTimeout must be >= 0, got " + d);
        }
        return copy(o -> o.queryTimeout = d);
    }

    /** @return the statement time limit, ZERO for none */
    public Duration queryTimeout() {
        return queryTimeout;
    }

    /**
     * @param handler receives every NoticeResponse, on the connection's loop; the default logs it
     * @return a copy with it
     */
    public PgOptions onNotice(Consumer<PgNotice> handler) {
        Objects.requireNonNull(handler, "onNotice");
        return copy(o -> o.onNotice = handler);
    }

    private static void positive(int n, String what) {
        if (n < 1) {
            throw new IllegalArgumentException(what + " must be >= 1, got " + n);
        }
    }

    private static void positive(Duration d, String what) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
    }

    /** @return the host */
    public String host() {
        return host;
    }

    /** @return the port */
    public int port() {
        return port;
    }

    /** @return the database */
    public String database() {
        return database;
    }

    /** @return the user */
    public String user() {
        return user;
    }

    /** @return the password, or null */
    public String password() {
        return password;
    }

    /** @return the application name */
    public String applicationName() {
        return applicationName;
    }

    /** @return the TLS mode */
    public SslMode sslMode() {
        return sslMode;
    }

    /** @return the TLS settings set with {@link #tls(ClientTls)}, or null for the defaults */
    public ClientTls tls() {
        return tls;
    }

    /** @return the TLS configuration the connection uses under {@link #sslMode()}; null without TLS */
    public ClientTls effectiveTls() {
        return effectiveTls;
    }

    /** @return connections per loop */
    public int maxSize() {
        return maxSize;
    }

    /** @return requests queued per loop */
    public int maxWaiters() {
        return maxWaiters;
    }

    /** @return the acquire deadline */
    public Duration acquireTimeout() {
        return acquireTimeout;
    }

    /** @return the idle limit */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** @return the lifetime limit */
    public Duration maxLifetime() {
        return maxLifetime;
    }

    /** @return statements in flight per connection */
    public int pipelineLimit() {
        return pipelineLimit;
    }

    /** @return prepared statements per connection */
    public int statementCacheSize() {
        return statementCacheSize;
    }

    /** @return rows per round trip when streaming */
    public int fetchSize() {
        return fetchSize;
    }

    /** @return the connect deadline */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return largest backend message */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** @return whether protocol 3.2 is asked for */
    public boolean askProtocol32() {
        return askProtocol32;
    }

    /** @return extra startup parameters */
    public Map<String, String> parameters() {
        return parameters;
    }

    /** @return the notice handler */
    public Consumer<PgNotice> onNotice() {
        return onNotice;
    }

    @Override
    public String toString() {
        return "PgOptions[" + user + "@" + host + ":" + port + "/" + database + ", maxSize=" + maxSize + "]";
    }
}
