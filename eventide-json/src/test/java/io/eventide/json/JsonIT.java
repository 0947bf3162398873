package io.eventide.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.LoopGroup;
import io.eventide.http.HttpOptions;
import io.eventide.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JsonIT {
    record Greeting(String name, int times) {
    }

    @Test
    void jsonInAndOutWith400OnGarbage() throws Exception {
        LoopGroup group = LoopGroup.create(1);
        HttpServer app = HttpServer.create(group, HttpOptions.defaults());
        app.get("/json", (req, res) -> Json.send(res, java.util.Map.of("message", "Hello, World!")));
        app.post("/greet", (req, res) -> Json.read(req, Greeting.class)
                .onSuccess(g -> Json.send(res, new Greeting(g.name().toUpperCase(), g.times() + 1)))
                .onFailure(err -> res.sendError(400, "bad json")));
        app.listen("127.0.0.1", 0).join();
        try {
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + app.port();
            var r = client.send(HttpRequest.newBuilder(URI.create(base + "/json")).build(), BodyHandlers.ofString());
            assertThat(r.body()).isEqualTo("{\"message\":\"Hello, World!\"}");
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
            var g = client.send(HttpRequest.newBuilder(URI.create(base + "/greet"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"ada\",\"times\":1}")).build(), BodyHandlers.ofString());
            assertThat(g.body()).isEqualTo("{\"name\":\"ADA\",\"times\":2}");
            var bad = client.send(HttpRequest.newBuilder(URI.create(base + "/greet"))
                    .POST(HttpRequest.BodyPublishers.ofString("{nope")).build(), BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(400);
        } finally {
            group.close(Duration.ofSeconds(2)).join();
        }
    }
}
