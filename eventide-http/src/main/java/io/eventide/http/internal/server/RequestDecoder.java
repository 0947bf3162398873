package io.eventide.http.internal.server;

import io.eventide.http.internal.codec.ChunkedDecoder;
import io.eventide.http.internal.codec.ContentLengthDecoder;
import io.eventide.http.internal.codec.Http1Limits;
import io.eventide.http.internal.codec.Http1RequestParser;
import io.eventide.http.internal.codec.HttpRequestHead;
import java.nio.ByteBuffer;

/**
 * Turns the bytes of a connection into request events, the server twin of the client's
 * {@code ResponseDecoder}: a head, views of its body, its end, or an error with the status to
 * answer. Pure (no socket, no loop): the connection only moves bytes and reacts. Framing follows
 * RFC 9112 §6.3: chunked, else {@code Content-Length}, else no body (a request never reads to end
 * of stream).
 *
 * <pre>
 *  decodeHead(in): NEED_MORE* ─► HEAD ─► decodeBody(in): (NEED_MORE | DATA)* ─► END ─► reset()
 *                  any step may give ERROR (see errorStatus(), errorReason())
 * </pre>
 *
 * <p><b>Threading:</b> not thread-safe; one per connection, used by its loop only.
 */
final class RequestDecoder {
    enum Event { NEED_MORE, HEAD, DATA, END, ERROR }

    private final Http1Limits limits;
    private final Http1RequestParser parser;
    private final ContentLengthDecoder length = new ContentLengthDecoder();
    private ChunkedDecoder chunked;
    private boolean isChunked;
    private boolean bodyEnded;
    private HttpRequestHead head;
    private ByteBuffer data;
    private int errorStatus;
    private String errorReason;

    RequestDecoder(Http1Limits limits) {
        this.limits = limits;
        this.parser = new Http1RequestParser(limits);
    }

    /** Consumes bytes up to the end of the next request head. */
    Event decodeHead(ByteBuffer in) {
        switch (parser.parse(in)) {
            case NEED_MORE:
                return Event.NEED_MORE;
            case ERROR:
                return fail(parser.errorStatus(), parser.errorReason());
            default:
                head = parser.head();
                startBody();
                return Event.HEAD;
        }
    }

    private void startBody() {
        isChunked = head.chunked();
        bodyEnded = !head.hasBody();
        if (isChunked) {
            if (chunked == null) {
                chunked = new ChunkedDecoder(limits);
            }
            chunked.reset();
        } else {
            length.reset(Math.max(0, head.contentLength()));
        }
    }

    /**
     * Consumes body bytes up to the next event. After {@code DATA}, {@link #data()} is a view of
     * {@code in}, and the body may already be complete: check {@link #bodyEnded()}.
     */
    Event decodeBody(ByteBuffer in) {
        data = null;
        if (bodyEnded) {
            return Event.END;
        }
        if (isChunked) {
            return switch (chunked.decode(in)) {
                case DATA -> data(chunked.data());
                case END -> {
                    bodyEnded = true;
                    yield Event.END;
                }
                case ERROR -> fail(chunked.errorStatus(), chunked.errorReason());
                default -> Event.NEED_MORE;
            };
        }
        ByteBuffer view = length.decode(in);
        if (view == null) {
            return Event.NEED_MORE;
        }
        bodyEnded = length.isDone();
        return data(view);
    }

    private Event data(ByteBuffer view) {
        data = view;
        return Event.DATA;
    }

    private Event fail(int status, String reason) {
        errorStatus = status;
        errorReason = reason;
        return Event.ERROR;
    }

    /** Gets ready for the next request on the connection; keeps the buffers. */
    void reset() {
        parser.reset();
        head = null;
        data = null;
    }

    HttpRequestHead head() {
        return head;
    }

    ByteBuffer data() {
        return data;
    }

    boolean bodyEnded() {
        return bodyEnded;
    }

    boolean chunked() {
        return isChunked;
    }

    /** {@return body bytes still owed by a Content-Length body, or -1 when chunked (unknown)} */
    long remaining() {
        return isChunked ? (bodyEnded ? 0 : -1) : length.remaining();
    }

    /** {@return whether some bytes of a request head have arrived, and not the whole head} */
    boolean headInProgress() {
        return parser.inProgress();
    }

    /** {@return whether the request's method, as far as it was read, is HEAD (for error answers)} */
    boolean isHeadRequest() {
        return parser.isHeadRequest();
    }

    int errorStatus() {
        return errorStatus;
    }

    String errorReason() {
        return errorReason;
    }
}
