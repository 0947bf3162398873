package io.eventide.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cluster.sticky=cookie}: whichever worker a new connection lands on, a request carrying the
 * cookie is answered by the worker it names (relayed over loopback when it landed elsewhere), bodies
 * included; a request without it gets the cookie of the worker that served it.
 */
class ClusterStickyIT {
    @Test
    void aCookieKeepsAClientOnItsWorkerWhereverItsConnectionsLand(@TempDir Path dir) throws Exception {
        try (ClusterProcess cluster = ClusterProcess.start(dir, List.of("-n", "2"),
                List.of("-Deventide.config.cluster.sticky=cookie"))) {
            cluster.awaitReady(2);
            String status = cluster.command("status", "--json").output();
            Matcher m = Pattern.compile("\"slot\":(\\d+),\"pid\":(\\d+)").matcher(status);
            assertThat(m.find()).isTrue();
            String slot1 = m.group(1);
            String pid1 = m.group(2);
            assertThat(m.find()).isTrue();
            String slot2 = m.group(1);
            String pid2 = m.group(2);

            String first = exchange(cluster.port, "GET /pid HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
            assertThat(first).containsPattern("Set-Cookie: eventide_worker=\\d+; Path=/; HttpOnly; SameSite=Lax");

            Set<String> answeredForSlot1 = new HashSet<>();
            Set<String> answeredForSlot2 = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                answeredForSlot1.add(body(exchange(cluster.port, get("eventide_worker=" + slot1))));
                answeredForSlot2.add(body(exchange(cluster.port, get("a=b; eventide_worker=" + slot2))));
            }
            assertThat(answeredForSlot1).containsExactly(pid1);
            assertThat(answeredForSlot2).containsExactly(pid2);

            for (int i = 0; i < 10; i++) {
                String payload = "relayed body " + i + " " + "x".repeat(i * 1000);
                String r = exchange(cluster.port, "POST /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\nCookie: eventide_worker="
                        + slot2 + "\r\nContent-Length: " + payload.length() + "\r\n\r\n" + payload);
                assertThat(r).startsWith("HTTP/1.1 200");
                assertThat(body(r)).isEqualTo(payload);
            }
            assertThat(cluster.terminate()).isZero();
        }
    }

    private static String get(String cookie) {
        return "GET /pid HTTP/1.1\r\nHost: t\r\nConnection: close\r\nCookie: " + cookie + "\r\n\r\n";
    }

    /** One request on a new connection (so the kernel picks a worker afresh); the whole response. */
    private static String exchange(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            InputStream in = new BufferedInputStream(s.getInputStream());
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
}
