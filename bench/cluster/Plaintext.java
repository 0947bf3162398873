import io.eventide.Eventide;
import io.eventide.http.HttpServer;
import io.eventide.http.websocket.WebSocketOptions;
import io.eventide.http.websocket.WebSockets;

/**
 * The hosted app of bench/cluster: GET /plaintext ("Hello, World!", as in bench/node/plaintext.js)
 * and a WebSocket echo at /ws. `./eventide cluster -n 2 bench/cluster/Plaintext.java`.
 */
public class Plaintext {
    public static void main(String[] args) {
        HttpServer app = Eventide.http();
        app.get("/plaintext", (req, res) -> res.contentType("text/plain").end("Hello, World!"));
        app.get("/ws", WebSockets.handler(WebSocketOptions.defaults(), ws -> ws.onText(ws::sendText)));
        Eventide.start(app);
    }
}
