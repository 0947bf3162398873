package io.eventide.demo;

import io.eventide.cli.Host;
import io.eventide.cli.HostConfig;
import io.eventide.http.HttpServer;
import io.eventide.http.sse.Sse;
import io.eventide.http.websocket.WebSocketOptions;
import io.eventide.http.websocket.WebSockets;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code ./eventide demo}: one page served by Eventide itself that shows what an event-driven server
 * does, live: the server's own metrics over Server-Sent Events, chat rooms over WebSocket, uploads
 * with server-side progress, and the same CPU job run on the loop (lag spikes, the watchdog reports
 * it) and on a worker (lag stays flat). Binds 127.0.0.1:8080 unless {@code PORT}/{@code HOST} say
 * otherwise; nothing else to install. With {@code --tls} it serves HTTPS (and the chat over
 * {@code wss://}) with a self-signed certificate made at startup ({@link SelfSigned}), unless
 * {@code tls.cert}/{@code tls.key} name real ones. With {@code --cluster} it is one worker of
 * {@code ./eventide demo --cluster} instead ({@link ClusterDemo}).
 *
 * <p><b>Threading:</b> {@link #main} and {@link #install} run on the main thread at startup; the
 * routes run on the loops.
 */
public final class Demo {
    private Demo() {
    }

    /**
     * @param args {@code --tls} for HTTPS with a self-signed certificate; {@code --cluster} for a
     *     worker of {@code ./eventide demo --cluster} ({@link ClusterDemo})
     * @throws IOException if the upload directory cannot be created
     */
    public static void main(String[] args) throws IOException {
        if (java.util.List.of(args).contains("--cluster")) {
            ClusterDemo.main(args);
            return;
        }
        // The demo's own defaults: local only, and admission control loose enough that its "block the
        // loop" button shows the stall instead of shedding the page's requests. Env/file/flags win.
        Host host = Host.createOrExit(Map.of("host", "127.0.0.1", "admission.max-lag-ms", "5000"));
        HostConfig cfg = host.config();
        Path uploads = Files.createTempDirectory("eventide-demo-uploads");
        // Uploads are the visitor's files: they do not outlive the demo (exit by signal or otherwise).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(uploads), "eventide-demo-cleanup"));
        install(host, uploads);
        SelfSigned selfSigned = null;
        if (java.util.List.of(args).contains("--tls") && host.http().tls() == null) {
            Path dir = Files.createTempDirectory("eventide-demo-tls");
            selfSigned = SelfSigned.create(dir);
            host.http().tls(selfSigned.serverTls());
        }
        host.startOrExit();
        boolean https = host.http().tls() != null;
        System.out.println("eventide: demo ready at " + (https ? "https" : "http") + "://" + cfg.host() + ":"
                + host.http().port() + "/ (uploads go to " + uploads + " and are deleted on exit)");
        if (selfSigned != null) {
            System.out.println("eventide: the certificate is self-signed for localhost and 127.0.0.1: browsers warn"
                    + " once; curl --cacert " + selfSigned.certificate() + " https://localhost:" + host.http().port() + "/");
        }
    }

    /**
     * Adds the demo's routes to {@code host}.
     *
     * @param host the host
     * @param uploadDir where uploads go
     */
    public static void install(Host host, Path uploadDir) {
        HttpServer app = host.http();
        byte[] page = resource("index.html");
        Dashboard dashboard = new Dashboard(host);
        Chat chat = new Chat();
        Uploads uploads = new Uploads(uploadDir);
        app.get("/", (req, res) -> res.contentType("text/html; charset=utf-8").end(page));
        app.get("/demo/metrics", (req, res) -> dashboard.topic().subscribe(Sse.start(req, res)));
        app.get("/demo/chat", WebSockets.handler(WebSocketOptions.defaults(), chat::join));
        app.post("/demo/upload", uploads::upload);
        app.get("/demo/upload-progress", uploads::follow);
        app.get("/demo/files", (req, res) -> {
            StringBuilder b = new StringBuilder("[");
            for (Uploads.Stored s : uploads.stored()) {
                b.append(b.length() > 1 ? "," : "").append("{\"name\":").append(JsonText.quote(s.name()))
                        .append(",\"size\":").append(s.size()).append(",\"sha256\":\"").append(s.sha256()).append("\"}");
            }
            res.contentType("application/json").end(b.append(']').toString());
        });
        app.get("/demo/hello", (req, res) -> res.contentType("text/plain").end("hello"));
        cpuRoutes(app);
    }

    /** The block-vs-offload routes: the same CPU job on the request's loop, or on a worker. */
    static void cpuRoutes(HttpServer app) {
        app.post("/demo/block", (req, res) -> {
            long ms = clamp(req.queryParam("ms"));
            long t0 = System.nanoTime();
            spin(ms); // on purpose: this is what not to do; the watchdog will name this request
            res.contentType("application/json").end("{\"where\":\"loop\",\"ms\":" + (System.nanoTime() - t0) / 1_000_000 + "}");
        });
        app.post("/demo/offload", (req, res) -> {
            long ms = clamp(req.queryParam("ms"));
            req.loop().offload(() -> {
                long t0 = System.nanoTime();
                spin(ms);
                return (System.nanoTime() - t0) / 1_000_000;
            }).onSuccess(took -> res.contentType("application/json").end("{\"where\":\"worker\",\"ms\":" + took + "}"))
                    .onFailure(err -> res.sendError(503, "workers busy"));
        });
    }

    /** Deletes a directory and everything under it; runs on the JVM's shutdown-hook thread. */
    static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("eventide: could not delete the demo's uploads in " + dir + ": " + e.getMessage());
        }
    }

    private static long clamp(String ms) {
        try {
            return Math.max(1, Math.min(5000, ms == null ? 500 : Long.parseLong(ms)));
        } catch (NumberFormatException e) {
            return 500;
        }
    }

    /** CPU work for {@code ms} milliseconds (a stand-in for JSON crunching, image resizing, ...). */
    static void spin(long ms) {
        long end = System.nanoTime() + ms * 1_000_000;
        long x = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        if (x == 42) {
            System.out.print(""); // keeps the JIT from removing the loop
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = Demo.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("demo resource missing: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
