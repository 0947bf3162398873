package io.eventide.http.internal.websocket;

import io.eventide.http.HttpHeaders;
import io.eventide.http.websocket.WebSocketException;
import io.eventide.http.websocket.WebSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The client's side of the opening handshake (RFC 6455 §4.1): writes the upgrade request, then
 * collects the response head (up to {@value #MAX_HEAD} bytes, across reads) and validates it:
 * status 101, {@code Upgrade: websocket}, {@code Connection: upgrade}, the accept key, and a
 * subprotocol and extensions the client offered. Bytes behind the head are frames and are left in
 * the buffer for the session.
 *
 * <p><b>Threading:</b> loop-confined (one per connection attempt).
 */
public final class ClientHandshake {
    /** Largest response head accepted. */
    public static final int MAX_HEAD = 16 * 1024;

    private final URI uri;
    private final WebSocketOptions options;
    private final String key = Base64.getEncoder().encodeToString(FrameWriter.nonce());
    private ByteBuffer head = ByteBuffer.allocate(1024);
    private HttpHeaders headers;
    private String subprotocol;
    private DeflateParams deflate;

    /**
     * @param uri the ws:// URI
     * @param options client settings
     */
    public ClientHandshake(URI uri, WebSocketOptions options) {
        this.uri = uri;
        this.options = options;
    }

    /** @return the request head to send */
    public ByteBuffer request() {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        int port = uri.getPort();
        int defaultPort = "wss".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        StringBuilder sb = new StringBuilder(256).append("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(uri.getHost()).append(port > 0 && port != defaultPort ? ":" + port : "")
                .append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(key).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        if (!options.subprotocols().isEmpty()) {
            sb.append("Sec-WebSocket-Protocol: ").append(String.join(", ", options.subprotocols())).append("\r\n");
        }
        if (options.perMessageDeflate()) {
            sb.append("Sec-WebSocket-Extensions: ").append(ExtensionNegotiation.offer(
                    options.serverNoContextTakeover(), options.clientNoContextTakeover())).append("\r\n");
        }
        for (Map.Entry<String, String> h : options.headers().entrySet()) {
            sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        return ByteBuffer.wrap(sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Takes bytes of the response; stops at the end of the head.
     *
     * @param in bytes read; on completion its position is just past the head
     * @return true once the head is complete and valid
     * @throws WebSocketException when the head is too big, refused or invalid
     */
    public boolean feed(ByteBuffer in) {
        while (in.hasRemaining()) {
            if (!head.hasRemaining()) {
                if (head.capacity() >= MAX_HEAD) {
                    throw new WebSocketException("handshake response head larger than " + MAX_HEAD + " bytes", -1);
                }
                head = ByteBuffer.allocate(head.capacity() * 2).put(head.flip());
            }
            head.put(in.get());
            int p = head.position();
            if (p >= 4 && head.get(p - 1) == '\n' && head.get(p - 2) == '\r' && head.get(p - 3) == '\n'
                    && head.get(p - 4) == '\r') {
                validate(new String(head.array(), 0, p - 4, StandardCharsets.ISO_8859_1));
                return true;
            }
        }
        return false;
    }

    private void validate(String text) {
        String[] lines = text.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new WebSocketException("not an HTTP response: " + lines[0], -1);
        }
        int code = parseStatus(status[1]);
        headers = new HttpHeaders(12);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new WebSocketException("malformed header line in the handshake response", code);
            }
            headers.add(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
        }
        if (code != 101) {
            throw new WebSocketException("server refused the WebSocket upgrade with " + lines[0], code);
        }
        checkUpgrade();
        subprotocol = checkSubprotocol();
        deflate = checkExtensions();
    }

    private static int parseStatus(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new WebSocketException("malformed status line in the handshake response", -1);
        }
    }

    private void checkUpgrade() {
        if (!ServerHandshake.hasToken(headers.getAll(HttpHeaders.UPGRADE), "websocket")
                || !ServerHandshake.hasToken(headers.getAll(HttpHeaders.CONNECTION), "upgrade")) {
            throw new WebSocketException("101 response without Upgrade: websocket and Connection: upgrade", 101);
        }
        if (!ServerHandshake.accept(key).equals(headers.get(HttpHeaders.SEC_WEBSOCKET_ACCEPT))) {
            throw new WebSocketException("Sec-WebSocket-Accept does not match the key sent", 101);
        }
    }

    private String checkSubprotocol() {
        List<String> p = headers.getAll(HttpHeaders.SEC_WEBSOCKET_PROTOCOL);
        if (p.isEmpty()) {
            return null;
        }
        if (p.size() != 1 || !options.subprotocols().contains(p.get(0))) {
            throw new WebSocketException("server chose a subprotocol that was not offered: " + p, 101);
        }
        return p.get(0);
    }

    private DeflateParams checkExtensions() {
        List<String> ext = new ArrayList<>(headers.getAll(HttpHeaders.SEC_WEBSOCKET_EXTENSIONS));
        if (!ext.isEmpty() && !options.perMessageDeflate()) {
            throw new WebSocketException("server answered extensions that were not offered: " + ext, 101);
        }
        try {
            return ExtensionNegotiation.validateResponse(ext, options.clientNoContextTakeover());
        } catch (IllegalArgumentException e) {
            throw new WebSocketException(e.getMessage(), 101);
        }
    }

    /** @return the agreed subprotocol, or null */
    public String subprotocol() {
        return subprotocol;
    }

    /** @return the agreed permessage-deflate parameters, or null */
    public DeflateParams deflate() {
        return deflate;
    }
}
