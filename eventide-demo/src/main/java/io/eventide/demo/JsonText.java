package io.eventide.demo;

/**
 * Minimal JSON string escaping for the demo's small, flat messages (RFC 8259 §7), so the host
 * module does not need a JSON library for them.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class JsonText {
    private JsonText() {
    }

    /** @param s any string @return it as a quoted JSON string */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
