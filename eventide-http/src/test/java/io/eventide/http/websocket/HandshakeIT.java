package io.eventide.http.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The opening handshake's checks (RFC 6455 §4.2), answered with the right status. */
class HandshakeIT {
    static WsTestServer server;

    @BeforeAll
    static void start() {
        server = WsTestServer.start(app -> {
            app.get("/ws", WebSockets.handler(WebSocketOptions.defaults().subprotocols("v2", "v1"),
                    ws -> ws.sendText("protocol=" + ws.subprotocol())));
            app.get("/strict", WebSockets.handler(
                    WebSocketOptions.defaults().originCheck(o -> "https://good.example".equals(o)), ws -> ws.sendText("in")));
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String request(String path, String headers) throws IOException {
        String head = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n";
        try (RawWs ws = RawWs.request(server.port(), head, 0)) {
            return ws.responseHead;
        }
    }

    static final String VALID = "Upgrade: websocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";

    @Test
    void validHandshakeGetsTheAcceptKeyAndTheServersPreferredProtocol() throws IOException {
        String head = request("/ws", VALID + "Sec-WebSocket-Protocol: v1, v2\r\n");
        assertThat(head).startsWith("HTTP/1.1 101 ").containsIgnoringCase("sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
                .containsIgnoringCase("sec-websocket-protocol: v2").containsIgnoringCase("upgrade: websocket");
    }

    @Test
    void unknownProtocolsAreNotAgreed() throws IOException {
        try (RawWs ws = RawWs.open(server.port(), "/ws", "Sec-WebSocket-Protocol: v9")) {
            assertThat(ws.responseHead).doesNotContainIgnoringCase("sec-websocket-protocol");
            assertThat(ws.read().text()).isEqualTo("protocol=null");
        }
    }

    @Test
    void wrongVersionIs426WithTheSupportedVersion() throws IOException {
        String head = request("/ws", VALID.replace("Version: 13", "Version: 12"));
        assertThat(head).startsWith("HTTP/1.1 426 ").containsIgnoringCase("sec-websocket-version: 13");
    }

    @Test
    void badKeysAre400() throws IOException {
        assertThat(request("/ws", VALID.replace("dGhlIHNhbXBsZSBub25jZQ==", "c2hvcnQ="))).startsWith("HTTP/1.1 400 ");
        assertThat(request("/ws", VALID.replace("dGhlIHNhbXBsZSBub25jZQ==", "!!!!!!!!!!!!!!!!!!!!!!!!"))).startsWith("HTTP/1.1 400 ");
        assertThat(request("/ws", VALID.replace("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", ""))).startsWith("HTTP/1.1 400 ");
    }

    @Test
    void plainGetIs426AndMissingConnectionUpgradeIs400() throws IOException {
        assertThat(request("/ws", "")).startsWith("HTTP/1.1 426 ").containsIgnoringCase("upgrade: websocket");
        assertThat(request("/ws", VALID.replace("Connection: keep-alive, Upgrade", "Connection: keep-alive")))
                .startsWith("HTTP/1.1 400 ");
    }

    @Test
    void originCheckRefusesWith403() throws IOException {
        assertThat(request("/strict", VALID + "Origin: https://evil.example\r\n")).startsWith("HTTP/1.1 403 ");
        assertThat(request("/strict", VALID + "Origin: https://good.example\r\n")).startsWith("HTTP/1.1 101 ");
    }
}
