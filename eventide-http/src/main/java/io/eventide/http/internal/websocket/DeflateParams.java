package io.eventide.http.internal.websocket;

/**
 * The agreed permessage-deflate parameters (RFC 7692 §7.1), from the server's point of view of
 * who compresses: the server compresses with {@code serverNoContextTakeover}, the client with
 * {@code clientNoContextTakeover}.
 *
 * @param serverNoContextTakeover the server resets its compressor after each message
 * @param clientNoContextTakeover the client resets its compressor after each message
 * @param serverMaxWindowBits the server's LZ77 window, 8..15
 * @param clientMaxWindowBits the client's LZ77 window, 8..15
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public record DeflateParams(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
        int serverMaxWindowBits, int clientMaxWindowBits) {

    /** @return the response header value (what the server accepted) */
    public String toHeader() {
        StringBuilder sb = new StringBuilder(ExtensionNegotiation.PERMESSAGE_DEFLATE);
        if (serverNoContextTakeover) {
            sb.append("; server_no_context_takeover");
        }
        if (clientNoContextTakeover) {
            sb.append("; client_no_context_takeover");
        }
        if (serverMaxWindowBits < 15) {
            sb.append("; server_max_window_bits=").append(serverMaxWindowBits);
        }
        if (clientMaxWindowBits < 15) {
            sb.append("; client_max_window_bits=").append(clientMaxWindowBits);
        }
        return sb.toString();
    }
}
