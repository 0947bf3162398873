package io.eventide.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code ./eventide demo} as a process: a visitor's uploads do not outlive it. */
class DemoProcessIT {
    private static final Pattern READY = Pattern.compile("demo ready at http://127\\.0\\.0\\.1:(\\d+)/ \\(uploads go to (\\S+) ");

    @Test
    @Timeout(120)
    void uploadedFilesAreDeletedWhenTheDemoExits() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(ChildJvm.java(), "-cp", ChildJvm.classPath(), "io.eventide.demo.Demo")
                .redirectErrorStream(true);
        pb.environment().put("PORT", "0");
        pb.environment().put("HOST", "127.0.0.1");
        Process p = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Matcher ready = null;
            StringBuilder seen = new StringBuilder();
            // Bounded by the @Timeout; stops reading at the ready line (the demo prints nothing after it).
            while (ready == null) {
                String l = out.readLine();
                if (l == null) {
                    break;
                }
                seen.append(l).append('\n');
                Matcher m = READY.matcher(l);
                ready = m.find() ? m : null;
            }
            assertThat(ready).as("the demo's ready line; output:%n%s", seen).isNotNull();
            int port = Integer.parseInt(ready.group(1));
            Path uploads = Path.of(ready.group(2));

            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            var res = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/demo/upload?id=t1&name=note.txt"))
                    .POST(BodyPublishers.ofString("a visitor's file")).timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
            assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
            try (var files = Files.list(uploads)) {
                assertThat(files.count()).as("files in %s after the upload", uploads).isPositive();
            }

            p.destroy(); // SIGTERM: the host drains, then exits
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the demo exits after SIGTERM").isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(uploads).as("the uploads directory after exit").doesNotExist();
        } finally {
            p.destroyForcibly();
        }
    }
}
