package io.eventide;

import io.eventide.cli.Host;
import io.eventide.http.HttpServer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The front door, in two lines:
 *
 * <pre>{@code
 * HttpServer app = Eventide.http();                     // $PORT, $EVENTIDE_LOOPS, eventide.properties
 * app.get("/", (req, res) -> res.end("Hello, World!"));
 * Eventide.start(app);                                  // health, metrics, drain on SIGTERM
 * }</pre>
 *
 * For more control use {@link Host} directly, or {@link HttpServer#create} without hosting.
 *
 * <p><b>Threading:</b> call from the main thread while setting up.
 */
public final class Eventide {
    private static final Map<HttpServer, Host> HOSTS = new ConcurrentHashMap<>();

    private Eventide() {
    }

    /**
     * A bad configuration (unknown key, wrong value) prints one line and exits with status 2.
     *
     * @return a hosted HTTP server, configured from flags, environment and {@code eventide.properties};
     *         add routes, then {@link #start}
     */
    public static HttpServer http() {
        Host host = Host.createOrExit(Map.of());
        HOSTS.put(host.http(), host);
        return host.http();
    }

    /**
     * A failure to listen (port in use, no permission) prints one line and exits with status 1.
     *
     * @param app a server from {@link #http()}
     * @return its host, listening
     */
    public static Host start(HttpServer app) {
        Host host = HOSTS.get(app);
        if (host == null) {
            throw new IllegalArgumentException("not a hosted server: create it with Eventide.http()");
        }
        return host.startOrExit();
    }
}
