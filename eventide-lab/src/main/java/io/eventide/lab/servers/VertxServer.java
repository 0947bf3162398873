package io.eventide.lab.servers;

import io.eventide.demo.Workload;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The standard workload on Vert.x 5 core, written as Vert.x users write it: one verticle instance
 * per event loop, each with its own HTTP server on the shared port, {@code /delay} on a Vert.x
 * timer, {@code /cpu} on the event loop or, with {@code offload=1}, through
 * {@code executeBlocking} on the worker pool.
 *
 * <p>Environment: {@code PORT}, {@code VERTX_INSTANCES} (default: one per available core).
 *
 * <p><b>Threading:</b> {@link #main} runs once; request handlers run on event loops.
 */
public final class VertxServer extends VerticleBase {
    private static final Buffer HELLO = Buffer.buffer(Workload.HELLO_BYTES);
    private final int port;

    private VertxServer(int port) {
        this.port = port;
    }

    /** @param args unused */
    public static void main(String[] args) {
        int port = Env.get("PORT", 8080);
        int instances = Env.get("VERTX_INSTANCES", Runtime.getRuntime().availableProcessors());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(instances));
        vertx.deployVerticle(() -> new VertxServer(port), new DeploymentOptions().setInstances(instances))
                .toCompletionStage().toCompletableFuture().join(); // blocking-ok: main thread at startup
        ControlChannel.start("vertx-" + instances, port);
    }

    @Override
    public Future<?> start() {
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(port)
                .setAcceptBacklog(Workload.BACKLOG).setIdleTimeout(Workload.IDLE_TIMEOUT_SECONDS);
        return vertx.createHttpServer(options).requestHandler(this::handle).listen();
    }

    private void handle(HttpServerRequest req) {
        HttpServerResponse res = req.response();
        switch (req.path()) {
            case "/plaintext" -> res.putHeader("Content-Type", "text/plain").end(HELLO);
            case "/json" -> res.putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("message", Workload.HELLO).toBuffer());
            case "/echo" -> {
                String type = req.getHeader("Content-Type");
                res.putHeader("Content-Type", type != null ? type : "application/octet-stream");
                req.pipeTo(res);
            }
            case "/delay" -> {
                long ms = Workload.parse(req.getParam("ms"), 0);
                vertx.setTimer(Math.max(1, ms), id -> res.end(Workload.delayed(ms)));
            }
            case "/cpu" -> cpu(req, res);
            default -> res.setStatusCode(404).end("Not Found\n");
        }
    }

    private void cpu(HttpServerRequest req, HttpServerResponse res) {
        int n = (int) Workload.parse(req.getParam("n"), Workload.DEFAULT_CPU_N);
        if ("1".equals(req.getParam("offload"))) {
            // ordered=false: jobs from one event loop may run on several workers at once.
            vertx.executeBlocking(() -> Workload.cpu(n), false)
                    .onSuccess(r -> res.end(Workload.cpuAnswer(n, r, "worker")))
                    .onFailure(err -> res.setStatusCode(503).end("workers busy\n"));
        } else {
            res.end(Workload.cpuAnswer(n, Workload.cpu(n), "loop"));
        }
    }
}
