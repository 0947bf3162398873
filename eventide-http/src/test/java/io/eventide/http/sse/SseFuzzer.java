package io.eventide.http.sse;

import io.eventide.http.internal.codec.SplitEverywhere;
import io.eventide.http.internal.sse.SseEncoder;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target: the SSE encoder, round trip. The input (UTF-8, leniently decoded) is cut at U+0001
 * into an event type, an id, data and a comment; they are encoded as the server sends them and
 * parsed back by a parser written from the HTML standard's event-stream algorithm (§9.2.6), fed
 * whole and cut everywhere. Properties: the encoder throws nothing but
 * {@link IllegalArgumentException}, and only for what a client could not read back (a line break
 * in the type, id or comment, NUL in the id); otherwise exactly one event arrives, with the type,
 * the id and the data (line breaks as LF), and the comment and the retry field do not disturb it.
 *
 * <p><b>Threading:</b> called by Jazzer on its thread.
 */
public final class SseFuzzer {
    private SseFuzzer() {
    }

    /** @param input type, id, data and comment, separated by U+0001 */
    public static void fuzzerTestOneInput(byte[] input) {
        String[] f = new String(input, StandardCharsets.UTF_8).split("\u0001", 4);
        String event = f.length > 1 ? f[0] : null;
        String id = f.length > 2 ? f[1] : null;
        String data = f[Math.min(f.length - 1, 2)];
        String comment = f.length > 3 ? f[3] : "";
        byte[] stream;
        try {
            stream = concat(SseEncoder.comment(comment), SseEncoder.retry(input.length),
                    SseEncoder.event(event, id, data));
        } catch (IllegalArgumentException e) {
            if (!breaksLine(event) && !breaksLine(id) && !breaksLine(comment) && (id == null || id.indexOf(0) < 0)) {
                throw new AssertionError("refused an encodable event: " + e.getMessage(), e);
            }
            return;
        }
        if (breaksLine(event) || breaksLine(id) || breaksLine(comment) || (id != null && id.indexOf(0) >= 0)) {
            throw new AssertionError("encoded an event a client cannot read back");
        }
        String expected = "event=" + (event == null || event.isEmpty() ? "message" : utf8(event))
                + " id=" + (id == null ? "" : utf8(id)) + " retry=" + input.length
                + " data=" + utf8(data).replace("\r\n", "\n").replace('\r', '\n');
        String got = SplitEverywhere.check(stream, cuts -> String.join("|", parse(stream, cuts)));
        if (!got.equals(expected)) {
            throw new AssertionError("sent " + expected + "\nreceived " + got);
        }
    }

    private static boolean breaksLine(String s) {
        return s != null && (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0);
    }

    /** What a client gets for a string: unpaired surrogates become '?' on the way. */
    private static String utf8(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** The event-stream interpretation, fed in pieces: lines are cut at CR, LF or CRLF. */
    static List<String> parse(byte[] stream, int[] cuts) {
        Parser p = new Parser();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : stream.length;
            for (int k = from; k < to; k++) {
                p.feed(stream[k]);
            }
            from = to;
        }
        if (p.line.size() > 0) {
            p.events.add("BUG: unterminated line at the end of the stream");
        }
        return p.events;
    }

    private static final class Parser {
        final List<String> events = new ArrayList<>();
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean afterCr;
        StringBuilder data = new StringBuilder();
        String type = "";
        String lastId = "";
        String retry = "";

        void feed(byte b) {
            if (afterCr && b == '\n') {
                afterCr = false;
                return;
            }
            afterCr = b == '\r';
            if (b == '\r' || b == '\n') {
                line(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }

        void line(String l) {
            if (l.isEmpty()) {
                if (!data.isEmpty()) {
                    data.setLength(data.length() - 1);
                    events.add("event=" + (type.isEmpty() ? "message" : type) + " id=" + lastId + " retry=" + retry
                            + " data=" + data);
                }
                data = new StringBuilder();
                type = "";
                return;
            }
            if (l.charAt(0) == ':') {
                return;
            }
            int colon = l.indexOf(':');
            String name = colon < 0 ? l : l.substring(0, colon);
            String value = colon < 0 ? "" : l.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (name) {
                case "event" -> type = value;
                case "data" -> data.append(value).append('\n');
                case "id" -> {
                    if (value.indexOf(0) < 0) {
                        lastId = value;
                    }
                }
                case "retry" -> {
                    if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                        retry = value;
                    }
                }
                default -> { }
            }
        }
    }
}
