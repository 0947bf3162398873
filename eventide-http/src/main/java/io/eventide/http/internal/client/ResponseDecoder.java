package io.eventide.http.internal.client;

import io.eventide.http.HttpHeaders;
import io.eventide.http.internal.codec.ChunkedDecoder;
import io.eventide.http.internal.codec.ContentLengthDecoder;
import io.eventide.http.internal.codec.Fields;
import io.eventide.http.internal.codec.Http1Limits;
import io.eventide.http.internal.codec.Http1ResponseParser;
import io.eventide.http.internal.codec.HttpResponseHead;
import java.nio.ByteBuffer;

/**
 * Turns the bytes of one response into events: its final head, views of its body, its end. Pure
 * (no socket, no loop), so the connection only moves bytes and reacts. Framing follows RFC 9112
 * §6.3: no body after {@code HEAD}, 1xx, 204 and 304; then chunked; then {@code Content-Length};
 * else the body runs until the server closes ({@link #endOfInput()}). Interim 1xx responses are
 * skipped (RFC 9110 §15.2); {@code 101} is an error, since the client never asks to upgrade.
 *
 * <pre>
 *  reset(head?) ─► decode(in): HEAD ─► DATA* ─► (isDone() or END) ─► reset for the next exchange
 *                              any step may give ERROR (see error())
 * </pre>
 *
 * <p><b>Threading:</b> not thread-safe; one per connection, used by its loop only.
 */
final class ResponseDecoder {
    enum Event { NEED_MORE, HEAD, DATA, END, ERROR }

    private static final int WAIT_HEAD = 0;
    private static final int BODY = 1;
    private static final int DONE = 2;
    private static final int FAILED = 3;
    private static final int NONE = 0;
    private static final int CHUNKED = 1;
    private static final int LENGTH = 2;
    private static final int UNTIL_CLOSE = 3;

    private final Http1ResponseParser parser;
    private final ChunkedDecoder chunked;
    private final ContentLengthDecoder length = new ContentLengthDecoder();
    private int phase;
    private int framing;
    private boolean headRequest;
    private HttpResponseHead head;
    private ByteBuffer data;
    private Fields trailers;
    private String error;
    private long received;

    ResponseDecoder(Http1Limits limits) {
        this.parser = new Http1ResponseParser(limits);
        this.chunked = new ChunkedDecoder(limits);
    }

    /** Gets ready for the response to a new request. */
    void reset(boolean isHeadRequest) {
        parser.reset();
        phase = WAIT_HEAD;
        framing = NONE;
        headRequest = isHeadRequest;
        head = null;
        data = null;
        trailers = null;
        error = null;
        received = 0;
    }

    /**
     * Consumes bytes up to the next event. After {@code DATA}, {@link #data()} is a view of
     * {@code in}; after {@code HEAD} or {@code DATA} the response may already be complete: check
     * {@link #isDone()} before asking for more input.
     */
    Event decode(ByteBuffer in) {
        data = null;
        return switch (phase) {
            case WAIT_HEAD -> head(in);
            case BODY -> body(in);
            case DONE -> Event.END;
            default -> Event.ERROR;
        };
    }

    private Event head(ByteBuffer in) {
        while (true) {
            switch (parser.parse(in)) {
                case NEED_MORE -> {
                    return Event.NEED_MORE;
                }
                case ERROR -> {
                    return fail(parser.errorReason());
                }
                default -> {
                    HttpResponseHead h = parser.head();
                    parser.reset();
                    if (h.status() == 101) {
                        return fail("unexpected 101 Switching Protocols (the client never asks to upgrade)");
                    }
                    if (!h.isInterim()) {
                        startBody(h);
                        return Event.HEAD;
                    }
                    // 100 Continue, 103 Early Hints: the final response follows.
                }
            }
        }
    }

    private void startBody(HttpResponseHead h) {
        head = h;
        phase = BODY;
        if (!h.hasBody(headRequest)) {
            framing = NONE;
            phase = DONE;
        } else if (h.chunked()) {
            framing = CHUNKED;
            chunked.reset();
        } else if (h.contentLength() >= 0) {
            framing = LENGTH;
            length.reset(h.contentLength());
            if (h.contentLength() == 0) {
                phase = DONE;
            }
        } else {
            framing = UNTIL_CLOSE;
        }
    }

    private Event body(ByteBuffer in) {
        switch (framing) {
            case CHUNKED -> {
                return switch (chunked.decode(in)) {
                    case DATA -> data(chunked.data());
                    case END -> {
                        trailers = chunked.trailers();
                        phase = DONE;
                        yield Event.END;
                    }
                    case ERROR -> fail("malformed chunked body: " + chunked.errorReason());
                    default -> Event.NEED_MORE;
                };
            }
            case LENGTH -> {
                ByteBuffer view = length.decode(in);
                if (view == null) {
                    return Event.NEED_MORE;
                }
                if (length.isDone()) {
                    phase = DONE;
                }
                return data(view);
            }
            default -> {
                if (!in.hasRemaining()) {
                    return Event.NEED_MORE;
                }
                ByteBuffer view = in.slice();
                in.position(in.limit());
                return data(view);
            }
        }
    }

    private Event data(ByteBuffer view) {
        data = view;
        received += view.remaining();
        return Event.DATA;
    }

    private Event fail(String reason) {
        phase = FAILED;
        error = reason;
        return Event.ERROR;
    }

    /**
     * The server closed its side.
     *
     * @return true if that ends the response (a close-delimited body); false if the response is
     *     cut short, which {@link #truncation()} describes
     */
    boolean endOfInput() {
        if (phase == BODY && framing == UNTIL_CLOSE) {
            phase = DONE;
            return true;
        }
        return phase == DONE;
    }

    /** {@return what was missing when the input ended early, for the error message} */
    String truncation() {
        if (phase == WAIT_HEAD) {
            return parser.inProgress() ? "in the middle of the response head" : "before a response";
        }
        if (framing == LENGTH) {
            return "after " + received + " of " + head.contentLength() + " body bytes";
        }
        return "in the middle of the chunked body, after " + received + " bytes";
    }

    boolean isDone() {
        return phase == DONE;
    }

    /** {@return whether the body runs until the server closes, so the connection cannot be reused} */
    boolean closeDelimited() {
        return framing == UNTIL_CLOSE;
    }

    HttpResponseHead head() {
        return head;
    }

    ByteBuffer data() {
        return data;
    }

    HttpHeaders trailers() {
        return toHeaders(trailers == null ? Fields.EMPTY : trailers);
    }

    /** {@return the API's map of the codec's {@code fields}} */
    static HttpHeaders toHeaders(Fields fields) {
        HttpHeaders h = new HttpHeaders(Math.max(1, fields.size()));
        for (int i = 0; i < fields.size(); i++) {
            h.add(fields.name(i), fields.value(i));
        }
        return h;
    }

    String error() {
        return error;
    }
}
