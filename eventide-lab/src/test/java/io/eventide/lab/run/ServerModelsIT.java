package io.eventide.lab.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.testing.ChildJvm;
import io.eventide.lab.servers.EventideServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every serving model, started as the lab starts it (a child process, control channel open),
 * answers the same endpoints with the same bodies and reports its memory.
 */
class ServerModelsIT {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static Stream<ServerModel> models() {
        Path node = Environment.which("node");
        return ServerModel.catalogue(2, node != null).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void servesTheStandardWorkload(ServerModel model) throws Exception {
        Path scratch = Files.createTempDirectory("lab-it-");
        Environment env = new Environment(Path.of(ChildJvm.java()), ChildJvm.classPath(), scratch, false, "0", "0",
                Environment.which("node"), null, List.of());
        try (ServerProcess s = ServerProcess.start(model, Ports.next(), env)) {
            s.awaitReady(Duration.ofSeconds(60));
            String base = "http://127.0.0.1:" + s.port();
            assertThat(get(base + "/plaintext")).isEqualTo("200 Hello, World!");
            assertThat(get(base + "/json")).isEqualTo("200 {\"message\":\"Hello, World!\"}");
            assertThat(get(base + "/delay?ms=5")).isEqualTo("200 delayed 5 ms\n");
            assertThat(get(base + "/cpu?n=10")).startsWith("200 cpu 10 = -6320420363718434824 (");
            assertThat(get(base + "/cpu?n=10&offload=1")).startsWith("200 cpu 10 = -6320420363718434824 (")
                    .contains(model.offload() ? "(worker)" : "");
            HttpResponse<String> echo = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/echo"))
                    .header("Content-Type", "text/x-lab").POST(HttpRequest.BodyPublishers.ofString("ping ".repeat(3000)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(echo.body()).isEqualTo("ping ".repeat(3000));
            assertThat(echo.headers().firstValue("content-type")).hasValue("text/x-lab");
            if (EventideServer.class.getName().equals(model.mainClass())) {
                // The blocking workload's routes (and the JFR stream a blocking route starts) are
                // not in the server the other workloads measure.
                assertThat(get(base + "/blocking/sleep/virtual?ms=1")).startsWith("404");
            }
            ServerProcess.Stats stats = s.stats(Duration.ofSeconds(30));
            assertThat(stats.rssKiB()).isPositive();
            assertThat(stats.threads()).isPositive();
            assertThat(stats.heapBytes()).isPositive();
        } finally {
            List<Path> files = new ArrayList<>();
            try (Stream<Path> list = Files.list(scratch)) {
                list.forEach(files::add);
            }
            for (Path f : files) {
                Files.delete(f);
            }
            Files.delete(scratch);
        }
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }
}
