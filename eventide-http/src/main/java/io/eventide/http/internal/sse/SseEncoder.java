package io.eventide.http.internal.sse;

import java.nio.charset.StandardCharsets;

/**
 * Encodes event-stream fields (HTML Living Standard §9.2.5). Data is split at every line break
 * (CRLF, CR or LF, all of which the parser treats as one) into several {@code data:} lines, which
 * the client joins with LF again; a blank line ends the event.
 *
 * <p><b>Threading:</b> pure functions; any thread.
 */
public final class SseEncoder {
    private SseEncoder() {
    }

    /**
     * @param event the type, or null
     * @param id the id, or null
     * @param data the data
     * @return the event's bytes, UTF-8
     */
    public static byte[] event(String event, String id, String data) {
        StringBuilder sb = new StringBuilder(data.length() + 32);
        if (event != null) {
            sb.append("event: ").append(checkLine(event, "event")).append('\n');
        }
        if (id != null) {
            if (id.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("an event id must not contain NUL (clients ignore it)");
            }
            sb.append("id: ").append(checkLine(id, "id")).append('\n');
        }
        int start = 0;
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c == '\r' || c == '\n') {
                sb.append("data: ").append(data, start, i).append('\n');
                if (c == '\r' && i + 1 < data.length() && data.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        sb.append("data: ").append(data, start, data.length()).append("\n\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** @param millis reconnection delay @return a {@code retry:} field block */
    public static byte[] retry(long millis) {
        return ("retry: " + millis + "\n\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** @param text comment text @return a comment line */
    public static byte[] comment(String text) {
        return (":" + (text.isEmpty() ? "" : " " + checkLine(text, "comment")) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String checkLine(String s, String what) {
        if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("an SSE " + what + " must not contain a line break");
        }
        return s;
    }
}
