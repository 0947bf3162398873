package io.eventide.cli;

import io.eventide.core.LoopGroup;
import io.eventide.http.HttpHeaders;
import io.eventide.http.HttpRequest;
import io.eventide.http.HttpResponse;
import io.eventide.http.client.ClientOptions;
import io.eventide.http.client.ClientRequest;
import io.eventide.http.client.ClientResponse;
import io.eventide.http.client.HttpClient;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sticky routing under {@code eventide cluster} ({@code cluster.sticky=cookie|query}). The kernel
 * picks a worker for each new connection by hash, so a worker cannot choose its clients; instead a
 * request names its worker, by the cookie {@value #NAME} (set on the first response when absent) or
 * by the query parameter of the same name (the app puts it in the URLs it hands out, from
 * {@link Host#clusterWorker()}), and a worker that gets a request for a sibling relays it to the
 * sibling's own port over loopback and streams the answer back.
 *
 * <p><b>Cost</b>: a relayed request crosses one more loopback connection and costs the relaying
 * worker about as much CPU as serving it; with N workers, (N-1)/N of the new connections of sticky
 * clients land on the wrong worker first (keep-alive keeps a connection where it landed). A request
 * naming a worker that is gone (crashed, replaced) is served here and, with the cookie, the client
 * moves here. WebSocket upgrades and {@code /healthz}, {@code /readyz}, {@code /metrics} are always
 * served where they land (a WebSocket is one connection: it sticks by nature).
 *
 * <p><b>Threading:</b> {@link #route} runs on the request's loop; {@link #peers} may be called
 * from any thread (the link's).
 */
final class StickyRelay {
    /** The cookie and query parameter naming a worker. */
    static final String NAME = "eventide_worker";
    /** Marks a relayed request: the sibling serves it, whatever it names. */
    static final String HOP = "X-Eventide-Relayed-From";
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "te",
            "trailer", "upgrade", "proxy-authorization", "proxy-authenticate", "content-length", "host");

    private final boolean byCookie;
    private final String slot;
    private final HttpClient client;
    private final LongAdder relayed = new LongAdder();
    private volatile Map<String, Integer> peers = Map.of();

    StickyRelay(String mode, String slot, LoopGroup group) {
        this.byCookie = mode.equals("cookie");
        this.slot = slot;
        this.client = HttpClient.create(group, ClientOptions.defaults());
    }

    void peers(Map<String, Integer> bySlot) {
        this.peers = Map.copyOf(bySlot);
    }

    long relayed() {
        return relayed.sum();
    }

    /** The before hook: relays the request to the worker it names, or lets it through. */
    void route(HttpRequest req, HttpResponse res) {
        String p = req.path();
        if (req.header(HOP) != null || req.header("Upgrade") != null
                || p.equals("/healthz") || p.equals("/readyz") || p.equals("/metrics")) {
            return;
        }
        String wanted = byCookie ? cookie(req.header("Cookie")) : req.queryParam(NAME);
        Integer port = wanted == null || wanted.equals(slot) ? null : peers.get(wanted);
        if (port == null) {
            if (byCookie && !slot.equals(wanted)) {
                res.addHeader("Set-Cookie", NAME + "=" + slot + "; Path=/; HttpOnly; SameSite=Lax");
            }
            return; // served here
        }
        res.hold();
        relayed.increment();
        relay(req, res, port);
    }

    private void relay(HttpRequest req, HttpResponse res, int port) {
        ClientRequest out = client.request(req.method(), "127.0.0.1", port, req.target());
        req.headers().forEach((name, value) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                out.addHeader(name, value);
            }
        });
        out.header("Host", req.header("Host") == null ? "127.0.0.1" : req.header("Host"));
        out.header(HOP, slot);
        out.response().onSuccess(in -> answer(in, res)).onFailure(err -> {
            if (!res.isCommitted()) {
                res.status(502).contentType("text/plain").end("worker unreachable, retry\n");
            }
        });
        if (!req.hasBody()) {
            out.end();
            return;
        }
        req.onData(chunk -> {
            if (!out.write(chunk)) {
                req.pause();
            }
        });
        out.onDrain(req::resume);
        req.onEnd(out::end);
    }

    private static void answer(ClientResponse in, HttpResponse res) {
        res.status(in.status());
        in.headers().forEach((name, value) -> {
            if (name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH) || name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
                res.header(name, value); // single-valued, and Content-Length keeps the framing
            } else if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                res.addHeader(name, value);
            }
        });
        in.onData(chunk -> {
            if (!res.write(chunk)) {
                in.pause();
            }
        });
        res.onDrain(in::resume);
        in.onEnd(res::end);
        in.onError(err -> res.destroy());
    }

    /** @return the value of the {@value #NAME} cookie in a Cookie header, or null */
    static String cookie(String header) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String kv = part.trim();
            if (kv.startsWith(NAME + "=")) {
                return kv.substring(NAME.length() + 1);
            }
        }
        return null;
    }
}
