package io.eventide.http.client;

import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.Promise;
import io.eventide.core.tls.ClientTls;
import io.eventide.http.internal.client.ClientPools;
import io.eventide.http.internal.client.Http1ClientRequest;
import io.eventide.http.internal.client.Origin;
import io.eventide.http.internal.client.RequestUrl;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A non-blocking HTTP/1.1 client for service-to-service calls, with a keep-alive connection pool:
 * Node's {@code http.request} with an {@code Agent}, or Vert.x's {@code HttpClient}. Speaks
 * {@code http://} and {@code https://}: TLS 1.3/1.2 with the server's certificate checked against
 * the JDK's trusted CAs and the host name (RFC 6125), or against your own trust with
 * {@link #tls(ClientTls)}.
 *
 * <pre>{@code
 * HttpClient client = HttpClient.create(group, ClientOptions.defaults());
 * client.get("http://inventory:8080/items/42")
 *       .flatMap(ClientResponse::bodyAsString)            // aggregated, up to a limit
 *       .onSuccess(json -> ...)
 *       .onFailure(err -> ...);                           // EventideException and subclasses
 * }</pre>
 *
 * <pre>
 *   request(...) on loop L ──► pool (L, host:port) ──► idle connection │ new connection │ wait queue
 *        ──► head + body ──► server ──► response head ──► Promise&lt;ClientResponse&gt; on L
 *        ──► body: onData/onEnd (streamed, with backpressure) or body() ──► connection back to the pool
 * </pre>
 *
 * <p><b>Loops and pools.</b> A request runs on the loop that creates it when that is an Eventide
 * loop (any group), otherwise on the client's loop ({@link #create(EventLoop, ClientOptions)}) or
 * the group's next one; its promise and callbacks run there. Connections belong to one loop, so
 * each loop keeps its own pool per origin ({@code host:port}), with at most
 * {@link ClientOptions#maxConnectionsPerOrigin()} connections and a wait queue of
 * {@link ClientOptions#maxWaitQueue()} requests; past that a request fails at once with
 * {@link io.eventide.core.OverloadException}. Idle connections are closed after
 * {@link ClientOptions#keepAliveTimeout()}; a response with {@code Connection: close}, a
 * close-delimited body or any framing doubt ends its connection.
 *
 * <p><b>Stale connections.</b> A server may close an idle keep-alive connection just as a request
 * is sent on it. When a reused connection closes before any byte of the response arrived, the
 * request is sent once more on a new connection if it is idempotent (GET, HEAD, OPTIONS, TRACE,
 * PUT, DELETE, or any request with an {@code Idempotency-Key} header) and its body can be sent
 * again (given whole, or not begun). Anything else fails.
 *
 * <p><b>Failures</b> (the response promise, or the body's {@code onError}/{@code body()} once the
 * head arrived): {@link io.eventide.core.DeadlineExceededException} for the connect, head and
 * idle timeouts, and for a large body left unread for the idle timeout (the connection is closed); {@link io.eventide.core.EventideException} for a
 * refused or reset connection, a response cut short, a malformed response (the message says
 * what was wrong, never quoting the server's bytes) and a body over the aggregation limit.
 * Invalid arguments throw {@link IllegalArgumentException} at once. Status codes are not
 * failures: a 500 is a response like any other.
 *
 * <p><b>Threading:</b> any thread. {@link #request} may be called anywhere; the request it
 * returns is bound to a loop as described above (see {@link ClientRequest} for which of its
 * methods are loop-confined). Pools are loop-confined and need no locks; {@link #close} hands
 * the work to each loop.
 */
public final class HttpClient {
    private final LoopGroup group;
    private final EventLoop defaultLoop;
    private final ClientOptions options;
    private final ClientPools pools;

    private HttpClient(LoopGroup group, EventLoop defaultLoop, ClientOptions options) {
        this.group = group;
        this.defaultLoop = defaultLoop;
        this.options = Objects.requireNonNull(options, "options");
        this.pools = new ClientPools(options);
    }

    /**
     * @param group loops to run requests made off any loop on (round-robin)
     * @param options settings
     * @return a client
     */
    public static HttpClient create(LoopGroup group, ClientOptions options) {
        return new HttpClient(Objects.requireNonNull(group, "group"), null, options);
    }

    /**
     * @param group loops to run requests made off any loop on (round-robin)
     * @return a client with {@link ClientOptions#defaults()}
     */
    public static HttpClient create(LoopGroup group) {
        return create(group, ClientOptions.defaults());
    }

    /**
     * @param loop the loop to run requests made off any loop on
     * @param options settings
     * @return a client
     */
    public static HttpClient create(EventLoop loop, ClientOptions options) {
        return new HttpClient(null, Objects.requireNonNull(loop, "loop"), options);
    }

    /**
     * Sets how {@code https://} origins are verified: which authorities to trust, whether the host
     * name must match (yes by default), a client certificate for mutual TLS. Default:
     * {@link ClientTls#defaults()}. Applies to connections opened after the call.
     *
     * <pre>{@code
     * client.tls(ClientTls.defaults().trust(TlsTrust.pem(Path.of("internal-ca.pem"))));
     * }</pre>
     *
     * @param tls the TLS settings
     * @return this client
     */
    public HttpClient tls(ClientTls tls) {
        pools.tls(Objects.requireNonNull(tls, "tls"));
        return this;
    }

    /**
     * Prepares a request; nothing is sent until {@link ClientRequest#send} or
     * {@link ClientRequest#write}/{@link ClientRequest#end}.
     *
     * @param method the method, for example {@code GET}
     * @param url an absolute {@code http://} or {@code https://} URL; its path and query are sent as given
     *     (percent-encoded), its fragment dropped
     * @return the request, bound to the caller's loop or the client's
     * @throws IllegalArgumentException for a malformed or non-http URL, or an invalid method
     */
    public ClientRequest request(String method, String url) {
        RequestUrl u = RequestUrl.parse(Objects.requireNonNull(url, "url"));
        return new Http1ClientRequest(pools, callerLoop(), method, u.origin(), u.target());
    }

    /**
     * @param method the method
     * @param host host name or IP literal (resolved by {@link io.eventide.core.net.TcpClient})
     * @param port TCP port
     * @param target the origin-form target, for example {@code /items?id=4}, percent-encoded
     * @return the request
     * @throws IllegalArgumentException for an invalid method, host, port or target
     */
    public ClientRequest request(String method, String host, int port, String target) {
        return new Http1ClientRequest(pools, callerLoop(), method, new Origin(host, port), target);
    }

    /**
     * @param url an absolute {@code http://} URL
     * @return the response to {@code GET url}
     */
    public Promise<ClientResponse> get(String url) {
        return request("GET", url).send();
    }

    /**
     * @param url an absolute {@code http://} URL
     * @param body sent as UTF-8, with {@code Content-Length}
     * @return the response to {@code POST url}
     */
    public Promise<ClientResponse> post(String url, String body) {
        return post(url, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param url an absolute {@code http://} URL
     * @param body the body, kept until the exchange ends; do not change it meanwhile
     * @return the response to {@code POST url}
     */
    public Promise<ClientResponse> post(String url, byte[] body) {
        return request("POST", url).send(body);
    }

    private EventLoop callerLoop() {
        EventLoop current = EventLoop.current();
        if (current != null) {
            return current;
        }
        return defaultLoop != null ? defaultLoop : group.next();
    }

    /** {@return connections open (connecting, busy or idle), across every loop} */
    public int connections() {
        return pools.connections();
    }

    /** {@return the settings} */
    public ClientOptions options() {
        return options;
    }

    /**
     * Closes the client: new requests fail, waiting ones fail, idle connections close at once and
     * busy ones when their exchange ends. The loops are not closed.
     *
     * @return settled once every loop closed its idle connections
     */
    public Promise<Void> close() {
        EventLoop current = EventLoop.current();
        return pools.close(current != null ? current : defaultLoop != null ? defaultLoop : group.next());
    }
}
