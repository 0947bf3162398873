package io.eventide.example.shop;

import io.eventide.bus.Message;
import io.eventide.http.HttpRequest;
import io.eventide.http.HttpServer;
import io.eventide.http.TraceContext;
import io.eventide.http.client.ClientRequest;
import java.util.Locale;

/**
 * The trace of each hop, and its log line. {@link #install} makes every request of a server a span:
 * a {@code before} hook continues the caller's {@code traceparent} (or starts a trace) and answers
 * with {@code traceresponse}, and once the response is done one line goes to the log:
 *
 * <pre>
 *   trace=&lt;32 hex&gt; span=&lt;this hop&gt; parent=&lt;caller's span or -&gt; GET /products/1 200 1.9ms [note]
 * </pre>
 *
 * <p>Outgoing calls carry the hop's context with {@link #propagate(ClientRequest, HttpRequest)}
 * (HTTP) and {@link #propagate(Message, HttpRequest)} (bus); a bus consumer continues it with
 * {@link #continueFrom(Message)}. {@code tracestate} travels along unchanged.
 *
 * <p><b>Threading:</b> loop-confined like the request it is given; the helpers keep no state.
 */
final class Tracing {
    /** Request attribute: this hop's {@link TraceContext}. */
    static final String SPAN = "shop.span";
    /** Request attribute: the caller's span id, or "-". */
    static final String PARENT = "shop.parent";
    /** Request attribute: the received tracestate, kept only with a valid traceparent. */
    static final String STATE = "shop.tracestate";
    /** Request attribute: a note for the log line (fallback, breaker state...). */
    static final String NOTE = "shop.note";
    /** The W3C Trace Context Level 2 response header naming the server's span. */
    static final String TRACERESPONSE = "traceresponse";

    private Tracing() {
    }

    /**
     * @param server the server whose requests become spans
     * @param log where each request's line goes
     */
    static void install(HttpServer server, ShopLog log) {
        server.before((req, res) -> {
            TraceContext parent = TraceContext.parse(req.header(TraceContext.TRACEPARENT));
            TraceContext span = parent == null ? TraceContext.root() : parent.child();
            req.attribute(SPAN, span).attribute(PARENT, parent == null ? "-" : parent.spanId());
            if (parent != null) { // a tracestate without a valid traceparent is dropped (W3C 3.3)
                req.attribute(STATE, req.header(TraceContext.TRACESTATE));
            }
            res.header(TRACERESPONSE, span.traceparent());
        });
        server.onResponseDone((req, res, completed) -> {
            TraceContext span = req.attribute(SPAN);
            if (span == null || req.path().equals("/healthz")) {
                return; // refused before the hook ran, or a readiness probe: nothing to follow
            }
            String note = req.attribute(NOTE);
            log.line(fields(span, req.attribute(PARENT)) + " " + req.method() + " " + req.target() + " "
                    + (completed ? res.status() : "closed") + " " + ms(System.nanoTime() - req.startNanos())
                    + (note == null ? "" : " " + note));
        });
    }

    /** @return "trace=… span=… parent=…" */
    static String fields(TraceContext span, String parent) {
        return "trace=" + span.traceId() + " span=" + span.spanId() + " parent=" + parent;
    }

    /** @return the hop's context */
    static TraceContext span(HttpRequest req) {
        return req.attribute(SPAN);
    }

    /** Adds a note to the request's log line. */
    static void note(HttpRequest req, String note) {
        String old = req.attribute(NOTE);
        req.attribute(NOTE, old == null ? note : old + " " + note);
    }

    /** Passes the hop's context on an HTTP call: this span becomes the callee's parent. */
    static ClientRequest propagate(ClientRequest call, HttpRequest req) {
        call.header(TraceContext.TRACEPARENT, span(req).traceparent());
        String state = req.attribute(STATE);
        if (state != null) {
            call.header(TraceContext.TRACESTATE, state);
        }
        return call;
    }

    /** Passes the hop's context in a bus message's headers. */
    static Message propagate(Message m, HttpRequest req) {
        Message out = m.header(TraceContext.TRACEPARENT, span(req).traceparent());
        String state = req.attribute(STATE);
        return state == null ? out : out.header(TraceContext.TRACESTATE, state);
    }

    /** @return the consumer's span for a bus message: a child of its sender's, or a new trace */
    static TraceContext continueFrom(Message m) {
        return TraceContext.continueFrom(m.header(TraceContext.TRACEPARENT));
    }

    /** @return the sender's span id in a bus message, or "-" */
    static String parentOf(Message m) {
        TraceContext p = TraceContext.parse(m.header(TraceContext.TRACEPARENT));
        return p == null ? "-" : p.spanId();
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1fms", nanos / 1e6);
    }
}
