package io.eventide.lab.servers;

import io.eventide.demo.Workload;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * The standard workload on Helidon 4 SE: thread-per-request on virtual threads, handlers in plain
 * blocking style. {@code /delay} sleeps (the virtual thread unmounts and its carrier serves
 * others), {@code /cpu} computes on the request's virtual thread ({@code offload} is ignored: there
 * is no pool to offload to, and a virtual thread that computes is not preempted, so it holds its
 * carrier until it is done).
 *
 * <p>Environment: {@code PORT}. Carriers: {@code jdk.virtualThreadScheduler.parallelism}, by
 * default one per available core.
 *
 * <p><b>Threading:</b> {@link #main} runs once; handlers run on virtual threads and may block.
 */
public final class HelidonServer {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private HelidonServer() {
    }

    /** @param args unused */
    public static void main(String[] args) {
        int port = Env.get("PORT", 8080);
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .backlog(Workload.BACKLOG)
                .idleConnectionTimeout(Duration.ofSeconds(Workload.IDLE_TIMEOUT_SECONDS))
                .routing(r -> r
                        .get("/plaintext", (req, res) -> send(res, "text/plain", Workload.HELLO_BYTES))
                        .get("/json", HelidonServer::json)
                        .post("/echo", HelidonServer::echo)
                        .get("/delay", HelidonServer::delay)
                        .get("/cpu", HelidonServer::cpu))
                .build()
                .start();
        ControlChannel.start("helidon", server.port());
    }

    private static void send(ServerResponse res, String type, byte[] body) {
        res.header(HeaderNames.CONTENT_TYPE, type);
        res.send(body);
    }

    private static void json(ServerRequest req, ServerResponse res) throws IOException {
        send(res, "application/json", MAPPER.writeValueAsBytes(new Workload.Message(Workload.HELLO)));
    }

    private static void echo(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE,
                req.headers().first(HeaderNames.CONTENT_TYPE).orElse("application/octet-stream"));
        try (InputStream in = req.content().inputStream(); OutputStream out = res.outputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delay(ServerRequest req, ServerResponse res) {
        long ms = Workload.parse(req.query().first("ms").orElse(null), 0);
        try {
            Thread.sleep(ms); // blocking-ok: virtual thread; blocking style: the virtual thread parks, its carrier moves on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            res.status(Status.SERVICE_UNAVAILABLE_503).send();
            return;
        }
        send(res, "text/plain", Workload.delayed(ms).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static void cpu(ServerRequest req, ServerResponse res) {
        int n = (int) Workload.parse(req.query().first("n").orElse(null), Workload.DEFAULT_CPU_N);
        send(res, "text/plain", Workload.cpuAnswer(n, Workload.cpu(n), "virtual thread")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
