package io.eventide.http.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** WebSocket.pause/resume (issue 18): messages sent while paused arrive, in order, after resume. */
class PauseResumeIT {
    @Test
    void messagesSentWhilePausedArriveAfterResume() throws Exception {
        AtomicReference<WebSocket> socket = new AtomicReference<>();
        try (WsTestServer server = WsTestServer.start(app -> {
            app.get("/ws", WebSockets.handler(WebSocketOptions.defaults(), ws -> {
                socket.set(ws);
                ws.onText(t -> {
                    ws.sendText("got " + t);
                    if (t.equals("pause")) {
                        ws.pause();
                    }
                });
            }));
            app.get("/resume", (req, res) -> {
                WebSocket ws = socket.get();
                ws.loop().execute(ws::resume);
                res.end("resumed");
            });
        })) {
            try (RawWs ws = RawWs.open(server.port(), "/ws")) {
                ws.send(RawWs.masked(0x1, RawWs.utf8("pause")));
                assertThat(ws.read().text()).isEqualTo("got pause");
                ws.send(RawWs.masked(0x1, RawWs.utf8("a")), RawWs.masked(0x1, RawWs.utf8("b")));
                var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.port() + "/resume")).build(), BodyHandlers.ofString());
                assertThat(r.body()).isEqualTo("resumed");
                assertThat(ws.read().text()).isEqualTo("got a");
                assertThat(ws.read().text()).isEqualTo("got b");
            }
        }
    }
}
