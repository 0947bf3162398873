package io.eventide.http.internal.websocket;

import io.eventide.http.HttpHeaders;
import io.eventide.http.websocket.WebSocketOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The server's side of the opening handshake (RFC 6455 §4.2): checks the request, then builds the
 * 101 response headers, or says which error status to answer.
 *
 * <table>
 *   <caption>Checks, in order</caption>
 *   <tr><th>condition</th><th>answer</th></tr>
 *   <tr><td>method other than GET</td><td>405</td></tr>
 *   <tr><td>a body (Content-Length or chunked; issue 9, defect 4)</td><td>400</td></tr>
 *   <tr><td>HTTP/1.0</td><td>400</td></tr>
 *   <tr><td>no {@code Upgrade: websocket}</td><td>426 with {@code Upgrade: websocket}</td></tr>
 *   <tr><td>{@code Connection} without the {@code upgrade} token</td><td>400</td></tr>
 *   <tr><td>{@code Sec-WebSocket-Version} not 13</td><td>426 with {@code Sec-WebSocket-Version: 13} (§4.4)</td></tr>
 *   <tr><td>{@code Sec-WebSocket-Key} missing, repeated, or not base64 of 16 bytes</td><td>400</td></tr>
 *   <tr><td>origin check refuses {@code Origin}</td><td>403</td></tr>
 * </table>
 *
 * <p><b>Threading:</b> pure functions; any thread.
 */
public final class ServerHandshake {
    /** The GUID of RFC 6455 §1.3. */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private ServerHandshake() {
    }

    /**
     * The outcome: an error to answer, or the response headers with what was agreed.
     *
     * @param status 101, or the error status
     * @param message error text safe for the client, or null
     * @param headers the response headers (also for errors: 426 needs some)
     * @param subprotocol the agreed subprotocol, or null
     * @param deflate the agreed permessage-deflate parameters, or null
     */
    public record Result(int status, String message, HttpHeaders headers, String subprotocol, DeflateParams deflate) {
        static Result error(int status, String message) {
            return new Result(status, message, new HttpHeaders(2), null, null);
        }
    }

    /** What the handshake looks at in the upgrade request. */
    public record Request(String method, String version, HttpHeaders headers, boolean hasBody) {
    }

    /**
     * @param req the upgrade request
     * @param options server settings
     * @return the outcome
     */
    public static Result negotiate(Request req, WebSocketOptions options) {
        Result bad = check(req, options);
        if (bad != null) {
            return bad;
        }
        HttpHeaders h = new HttpHeaders(6);
        h.set(HttpHeaders.UPGRADE, "websocket");
        h.set(HttpHeaders.CONNECTION, "Upgrade");
        h.set(HttpHeaders.SEC_WEBSOCKET_ACCEPT, accept(req.headers().get(HttpHeaders.SEC_WEBSOCKET_KEY).trim()));
        String protocol = pickSubprotocol(req.headers().getAll(HttpHeaders.SEC_WEBSOCKET_PROTOCOL), options.subprotocols());
        if (protocol != null) {
            h.set(HttpHeaders.SEC_WEBSOCKET_PROTOCOL, protocol);
        }
        DeflateParams deflate = null;
        if (options.perMessageDeflate()) {
            deflate = ExtensionNegotiation.accept(req.headers().getAll(HttpHeaders.SEC_WEBSOCKET_EXTENSIONS),
                    options.serverNoContextTakeover(), options.clientNoContextTakeover());
            if (deflate != null) {
                h.set(HttpHeaders.SEC_WEBSOCKET_EXTENSIONS, deflate.toHeader());
            }
        }
        return new Result(101, null, h, protocol, deflate);
    }

    private static Result check(Request req, WebSocketOptions options) {
        if (!req.method().equals("GET")) {
            Result r = Result.error(405, "WebSocket upgrades use GET");
            r.headers().set("Allow", "GET");
            return r;
        }
        if (req.hasBody()) {
            // Its bytes would otherwise be taken for frames, or for a next request: a desync.
            return Result.error(400, "a WebSocket upgrade request must not carry a body");
        }
        if (!"HTTP/1.1".equals(req.version())) {
            return Result.error(400, "WebSocket needs HTTP/1.1");
        }
        if (!hasToken(req.headers().getAll(HttpHeaders.UPGRADE), "websocket")) {
            Result r = Result.error(426, "this endpoint speaks WebSocket only");
            r.headers().set(HttpHeaders.UPGRADE, "websocket");
            r.headers().set(HttpHeaders.CONNECTION, "Upgrade");
            return r;
        }
        if (!hasToken(req.headers().getAll(HttpHeaders.CONNECTION), "upgrade")) {
            return Result.error(400, "Connection header must contain upgrade");
        }
        List<String> versions = req.headers().getAll(HttpHeaders.SEC_WEBSOCKET_VERSION);
        if (versions.size() != 1 || !versions.get(0).trim().equals("13")) {
            Result r = Result.error(426, "unsupported WebSocket version");
            r.headers().set(HttpHeaders.SEC_WEBSOCKET_VERSION, "13");
            return r;
        }
        List<String> keys = req.headers().getAll(HttpHeaders.SEC_WEBSOCKET_KEY);
        if (keys.size() != 1 || !validKey(keys.get(0).trim())) {
            return Result.error(400, "Sec-WebSocket-Key must be the base64 of 16 bytes");
        }
        if (!options.originCheck().test(req.headers().get(HttpHeaders.ORIGIN))) {
            return Result.error(403, "origin not allowed");
        }
        return null;
    }

    /** @return whether a comma-separated list in any of {@code values} has {@code token} */
    static boolean hasToken(List<String> values, String token) {
        for (String v : values) {
            for (String t : v.split(",")) {
                if (t.trim().toLowerCase(Locale.ROOT).equals(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean validKey(String key) {
        if (key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false; // not base64: the caller answers 400
        }
    }

    /** The server's preference wins among the protocols the client offered (§4.2.2 step 5.4). */
    private static String pickSubprotocol(List<String> offered, List<String> supported) {
        if (offered.isEmpty() || supported.isEmpty()) {
            return null;
        }
        for (String s : supported) {
            for (String v : offered) {
                for (String o : v.split(",")) {
                    if (o.trim().equals(s)) {
                        return s;
                    }
                }
            }
        }
        return null;
    }

    /**
     * @param key the client's {@code Sec-WebSocket-Key}
     * @return base64(SHA-1(key + GUID)), the {@code Sec-WebSocket-Accept} value (§4.2.2)
     */
    public static String accept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] d = sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-1", e);
        }
    }
}
