package io.eventide.json;

import io.eventide.core.BlockedLoopReport;
import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import io.eventide.http.HttpOptions;
import io.eventide.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fresh JVM serving {@code /json} for {@link JsonColdStartIT}: it warms the HTTP path with
 * {@code /plaintext}, then asks {@code /json} once and prints every watchdog report whose stack is in
 * Jackson (one line each), then "done".
 */
public final class ColdJsonApp {
    private ColdJsonApp() {
    }

    public static void main(String[] args) throws Exception {
        List<BlockedLoopReport> reports = new CopyOnWriteArrayList<>();
        LoopGroup group = LoopGroup.create(LoopOptions.builder().loops(1).blockedThreshold(Duration.ofMillis(50))
                .onBlocked(reports::add).build());
        HttpServer app = HttpServer.create(group, HttpOptions.defaults());
        app.get("/plaintext", (req, res) -> res.end("hi"));
        app.get("/json", (req, res) -> Json.send(res, Map.of("message", "Hello, World!")));
        app.listen("127.0.0.1", 0).join();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (String path : new String[] {"/plaintext", "/plaintext", "/plaintext", "/json"}) {
            client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build(),
                    BodyHandlers.ofString());
        }
        for (BlockedLoopReport r : reports) {
            for (StackTraceElement e : r.stack()) {
                if (e.getClassName().startsWith("com.fasterxml.jackson")) {
                    System.out.println("blocked in Jackson for " + r.blockedFor().toMillis() + " ms by " + r.handler());
                    break;
                }
            }
        }
        System.out.println("done");
        app.close(Duration.ofSeconds(1)).join();
        group.close(Duration.ofSeconds(1)).join();
    }
}
