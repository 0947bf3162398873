package io.eventide.http.internal.websocket;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses {@code Sec-WebSocket-Extensions} (RFC 6455 §9.1) and negotiates permessage-deflate
 * (RFC 7692 §7.1) for both roles.
 *
 * <p>Server: offers are tried in the client's order; one is declined when it has an unknown or
 * repeated parameter or a bad value (§7.1), or asks the server to compress with a window below 15
 * bits, which {@code java.util.zip} cannot do. The client's window limit needs nothing from us: our
 * inflater always has a 15-bit window and reads any smaller one.
 *
 * <p>Client: we offer no {@code client_max_window_bits}, so a response that sets it is invalid.
 *
 * <p><b>Threading:</b> pure functions; any thread.
 */
public final class ExtensionNegotiation {
    /** The extension's name. */
    public static final String PERMESSAGE_DEFLATE = "permessage-deflate";

    private ExtensionNegotiation() {
    }

    /** One extension with its parameters; a parameter without value maps to the empty string. */
    record Extension(String name, Map<String, String> params, boolean duplicateParam) {
    }

    /**
     * @param headerValues every {@code Sec-WebSocket-Extensions} value
     * @return the extensions, in order; null when a value is malformed
     */
    static List<Extension> parse(List<String> headerValues) {
        List<Extension> out = new ArrayList<>();
        for (String value : headerValues) {
            for (String item : value.split(",")) {
                String[] parts = item.split(";");
                String name = parts[0].trim().toLowerCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue; // empty list elements are allowed (RFC 9110 §5.6.1)
                }
                Map<String, String> params = new HashMap<>();
                boolean dup = false;
                for (int i = 1; i < parts.length; i++) {
                    String p = parts[i].trim();
                    int eq = p.indexOf('=');
                    String k = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
                    String v = eq < 0 ? "" : unquote(p.substring(eq + 1).trim());
                    dup |= params.put(k, v) != null;
                }
                out.add(new Extension(name, params, dup));
            }
        }
        return out;
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"' ? v.substring(1, v.length() - 1) : v;
    }

    /**
     * @param offers the client's {@code Sec-WebSocket-Extensions} values
     * @param serverNoContextTakeover whether we reset our compressor per message anyway
     * @param clientNoContextTakeover whether we ask the client to
     * @return the accepted parameters, or null to run without compression
     */
    public static DeflateParams accept(List<String> offers, boolean serverNoContextTakeover,
            boolean clientNoContextTakeover) {
        for (Extension e : parse(offers)) {
            if (!e.name().equals(PERMESSAGE_DEFLATE) || e.duplicateParam()) {
                continue;
            }
            DeflateParams p = acceptOne(e.params(), serverNoContextTakeover, clientNoContextTakeover);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private static DeflateParams acceptOne(Map<String, String> params, boolean serverNct, boolean clientNct) {
        boolean sNct = serverNct;
        boolean cNct = clientNct;
        for (Map.Entry<String, String> p : params.entrySet()) {
            String v = p.getValue();
            switch (p.getKey()) {
                case "server_no_context_takeover" -> {
                    if (!v.isEmpty()) {
                        return null;
                    }
                    sNct = true;
                }
                case "client_no_context_takeover" -> {
                    if (!v.isEmpty()) {
                        return null;
                    }
                    cNct = true;
                }
                case "server_max_window_bits" -> {
                    if (windowBits(v) != 15) {
                        return null; // invalid, or a window java.util.zip cannot compress with
                    }
                }
                case "client_max_window_bits" -> {
                    if (!v.isEmpty() && windowBits(v) < 0) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        return new DeflateParams(sNct, cNct, 15, 15);
    }

    /** @return 8..15, or -1 when {@code v} is not such a number */
    private static int windowBits(String v) {
        if (v.length() < 1 || v.length() > 2 || !v.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        int n = Integer.parseInt(v);
        return n >= 8 && n <= 15 ? n : -1;
    }

    /**
     * @param serverNoContextTakeover ask the server to reset its compressor per message
     * @param clientNoContextTakeover announce that we reset ours
     * @return the client's offer
     */
    public static String offer(boolean serverNoContextTakeover, boolean clientNoContextTakeover) {
        return PERMESSAGE_DEFLATE + (serverNoContextTakeover ? "; server_no_context_takeover" : "")
                + (clientNoContextTakeover ? "; client_no_context_takeover" : "");
    }

    /**
     * Validates the server's answer to {@link #offer}.
     *
     * @param response the server's {@code Sec-WebSocket-Extensions} values (empty if none)
     * @param clientNoContextTakeover whether we offered to reset per message
     * @return the agreed parameters, null for no compression
     * @throws IllegalArgumentException when the answer is not one we can accept
     */
    public static DeflateParams validateResponse(List<String> response, boolean clientNoContextTakeover) {
        List<Extension> exts = parse(response);
        if (exts.isEmpty()) {
            return null;
        }
        if (exts.size() != 1 || !exts.get(0).name().equals(PERMESSAGE_DEFLATE) || exts.get(0).duplicateParam()) {
            throw new IllegalArgumentException("server answered extensions that were not offered: " + response);
        }
        boolean sNct = false;
        boolean cNct = clientNoContextTakeover;
        int serverBits = 15;
        for (Map.Entry<String, String> p : exts.get(0).params().entrySet()) {
            switch (p.getKey()) {
                case "server_no_context_takeover" -> sNct = true;
                case "client_no_context_takeover" -> cNct = true;
                case "server_max_window_bits" -> serverBits = windowBits(p.getValue());
                default -> throw new IllegalArgumentException("unacceptable permessage-deflate parameter "
                        + p.getKey() + " (client_max_window_bits was not offered)");
            }
            if (serverBits < 0) {
                throw new IllegalArgumentException("invalid server_max_window_bits");
            }
        }
        return new DeflateParams(sNct, cNct, serverBits, 15);
    }
}
