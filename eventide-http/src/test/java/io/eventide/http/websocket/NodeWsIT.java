package io.eventide.http.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Interoperability with Node.js's {@code ws} (the most used WebSocket implementation), including
 * permessage-deflate with and without context takeover, which the JDK client does not speak.
 */
class NodeWsIT {
    static WsTestServer server;
    static final BlockingQueue<String> serverSide = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() {
        WebSocketOptions opts = WebSocketOptions.defaults().compressionThreshold(16);
        server = WsTestServer.start(app -> {
            app.get("/echo", WebSockets.handler(opts, NodeWsIT::echo));
            app.get("/deflate", WebSockets.handler(opts.perMessageDeflate(true), NodeWsIT::echo));
            app.get("/deflate-imposed", WebSockets.handler(opts.perMessageDeflate(true).noContextTakeover(true, true),
                    NodeWsIT::echo));
        });
    }

    static void echo(WebSocket ws) {
        ws.onText(t -> {
            if (t.equals("close please")) {
                ws.close(4001, "server says bye");
            } else {
                ws.sendText(t);
            }
        });
        ws.onBinary(ws::sendBinary);
        ws.onClose((code, reason) -> serverSide.add(code + " " + reason + " [" + ws.extensions() + "]"));
    }

    @BeforeEach
    void clear() {
        serverSide.clear();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * Opens {@code path} with the given ws options, sends text (compressible and not), binary and
     * a fragmented message twice over (so a second message relies on the context of the first),
     * checks each echo, closes with 4000 and prints the negotiated extensions and close code.
     */
    static final String ECHO_SCRIPT = """
            const WebSocket = require('ws');
            const [port, path, optsJson] = process.argv.slice(2);
            const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, JSON.parse(optsJson));
            const big = 'The quick brown fox jumps over the lazy dog. '.repeat(400);
            const bin = Buffer.alloc(70000, 7); bin.writeUInt32BE(0xCAFEBABE, 100);
            const sent = [big, 'short', bin, big + '!', 'fragmented message ✓', bin];
            const got = [];
            let agreed = '';
            ws.on('upgrade', (res) => { agreed = res.headers['sec-websocket-extensions'] || ''; });
            ws.on('open', () => {
              for (const m of sent.slice(0, 4)) ws.send(m);
              ws.send('fragmented ', { fin: false });
              ws.send('message ✓', { fin: true });
              ws.send(bin);
            });
            ws.on('message', (data, isBinary) => {
              const i = got.length;
              const want = sent[i];
              const ok = isBinary ? Buffer.isBuffer(want) && data.equals(want) : data.toString() === want;
              got.push(ok);
              if (!ok) { console.log(`MISMATCH at ${i}`); process.exit(1); }
              if (got.length === sent.length) ws.close(4000, 'node bye');
            });
            ws.on('close', (code, reason) => {
              console.log(`extensions=${agreed}`);
              console.log(`echoed=${got.length} close=${code} ${reason}`);
            });
            ws.on('error', (e) => { console.log('ERROR ' + e.message); process.exit(1); });
            """;

    static List<String> runEcho(String path, String optsJson) throws Exception {
        return NodePeers.run(ECHO_SCRIPT, String.valueOf(server.port()), path, optsJson);
    }

    @Test
    void echoWithoutCompression() throws Exception {
        assertThat(runEcho("/echo", "{}")).containsExactly("extensions=", "echoed=6 close=4000 ");
        assertThat(serverSide.poll(20, TimeUnit.SECONDS)).isEqualTo("4000 node bye []");
    }

    @Test
    void permessageDeflateWithContextTakeover() throws Exception {
        List<String> out = runEcho("/deflate", "{\"perMessageDeflate\": {\"threshold\": 0}}");
        assertThat(out).containsExactly("extensions=permessage-deflate", "echoed=6 close=4000 ");
        assertThat(serverSide.poll(20, TimeUnit.SECONDS)).isEqualTo("4000 node bye [permessage-deflate]");
    }

    @Test
    void permessageDeflateWithoutContextTakeoverAskedByTheClient() throws Exception {
        List<String> out = runEcho("/deflate", "{\"perMessageDeflate\": {\"threshold\": 0,"
                + " \"serverNoContextTakeover\": true, \"clientNoContextTakeover\": true}}");
        assertThat(out).containsExactly(
                "extensions=permessage-deflate; server_no_context_takeover; client_no_context_takeover",
                "echoed=6 close=4000 ");
        assertThat(serverSide.poll(20, TimeUnit.SECONDS))
                .isEqualTo("4000 node bye [permessage-deflate; server_no_context_takeover; client_no_context_takeover]");
    }

    @Test
    void permessageDeflateWithoutContextTakeoverImposedByTheServer() throws Exception {
        List<String> out = runEcho("/deflate-imposed", "{\"perMessageDeflate\": {\"threshold\": 0}}");
        assertThat(out).containsExactly(
                "extensions=permessage-deflate; server_no_context_takeover; client_no_context_takeover",
                "echoed=6 close=4000 ");
        assertThat(serverSide.poll(20, TimeUnit.SECONDS)).startsWith("4000 node bye");
    }

    @Test
    void serverInitiatedCloseReachesNode() throws Exception {
        String script = """
                const WebSocket = require('ws');
                const ws = new WebSocket(`ws://127.0.0.1:${process.argv[2]}/echo`);
                ws.on('open', () => ws.send('close please'));
                ws.on('close', (code, reason) => console.log(`close=${code} ${reason}`));
                ws.on('error', (e) => { console.log('ERROR ' + e.message); process.exit(1); });
                """;
        assertThat(NodePeers.run(script, String.valueOf(server.port()))).containsExactly("close=4001 server says bye");
        assertThat(serverSide.poll(20, TimeUnit.SECONDS)).startsWith("4001 server says bye");
    }
}
