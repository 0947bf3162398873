package io.eventide.http.internal.client;

import io.eventide.core.EventLoop;
import io.eventide.core.LoopClosedException;
import io.eventide.core.Promise;
import io.eventide.http.HttpHeaders;
import io.eventide.http.client.ClientOptions;
import io.eventide.http.client.ClientRequest;
import io.eventide.http.client.ClientResponse;
import io.eventide.http.internal.codec.Http1RequestEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The HTTP/1.1 implementation of {@link ClientRequest}: validates what the application sets,
 * starts the request through the pool, and decides whether it may be retried. Framing and
 * buffering of the body are in {@link RequestBody}.
 *
 * <p>A request is retried at most once, by its connection, only if its method is idempotent
 * (RFC 9110 §9.2.2) or it carries an {@code Idempotency-Key}, and only if its body can be
 * replayed: kept whole, or not begun.
 *
 * <p><b>Threading:</b> see {@link ClientRequest}. {@code started} is an atomic flag so that two
 * threads racing to start the request get one winner; everything else is written before the
 * start (by the building thread) or after it (on the loop, reached through {@link EventLoop#execute}).
 */
public final class Http1ClientRequest implements ClientRequest {
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

    private final ClientPools pools;
    private final ClientOptions options;
    private final EventLoop loop;
    private final String method;
    private final Origin origin;
    private final String target;
    private final HttpHeaders headers = new HttpHeaders();
    private final Promise<ClientResponse> promise;
    private final AtomicBoolean started = new AtomicBoolean();
    private final RequestBody body;
    private Duration headTimeout;
    private Duration idleTimeout;
    private long declaredLength = -1;

    private boolean ended;
    private boolean done;
    private boolean retried;
    private boolean needDrain;
    private Runnable onDrain;

    /**
     * @param pools where connections come from
     * @param loop the loop the request runs on
     * @param method the method
     * @param origin where it goes
     * @param target the origin-form target
     * @throws IllegalArgumentException for an invalid method or target, or {@code CONNECT}
     */
    public Http1ClientRequest(ClientPools pools, EventLoop loop, String method, Origin origin, String target) {
        this.pools = Objects.requireNonNull(pools, "pools");
        this.options = pools.options();
        this.loop = Objects.requireNonNull(loop, "loop");
        this.method = Objects.requireNonNull(method, "method");
        this.origin = Objects.requireNonNull(origin, "origin");
        this.target = Objects.requireNonNull(target, "target");
        Http1RequestEncoder.checkMethod(method);
        Http1RequestEncoder.checkTarget(target);
        if (method.equals("CONNECT")) {
            throw new IllegalArgumentException("CONNECT (tunnels) is not supported");
        }
        this.promise = loop.promise();
        this.body = new RequestBody(this, options.tcp().highWatermark());
        this.headTimeout = options.headTimeout();
        this.idleTimeout = options.idleTimeout();
    }

    // ------------------------------------------------------------------------------------------
    // Building (before the start)

    @Override
    public ClientRequest header(String name, String value) {
        checkHeader(name, value);
        headers.set(name, value);
        return this;
    }

    @Override
    public ClientRequest addHeader(String name, String value) {
        checkHeader(name, value);
        headers.add(name, value);
        return this;
    }

    private void checkHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        checkNotStarted();
        Http1RequestEncoder.checkHeader(name, value);
        if (name.equalsIgnoreCase(HttpHeaders.TRANSFER_ENCODING)) {
            throw new IllegalArgumentException("Transfer-Encoding is chosen by the client: chunked when the body is "
                    + "streamed without a Content-Length");
        }
        if (name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
            if (value.isEmpty() || !value.chars().allMatch(Character::isDigit) || value.length() > 18) {
                throw new IllegalArgumentException("Content-Length must be a non-negative decimal number");
            }
            declaredLength = Long.parseLong(value);
        }
    }

    @Override
    public ClientRequest headTimeout(Duration timeout) {
        checkNotStarted();
        this.headTimeout = positive(timeout);
        return this;
    }

    @Override
    public ClientRequest idleTimeout(Duration timeout) {
        checkNotStarted();
        this.idleTimeout = positive(timeout);
        return this;
    }

    private static Duration positive(Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + d);
        }
        return d;
    }

    private void checkNotStarted() {
        if (started.get()) {
            throw new IllegalStateException("the request has started; set headers and timeouts before");
        }
    }

    // ------------------------------------------------------------------------------------------
    // Sending

    @Override
    public Promise<ClientResponse> send() {
        return send(ByteBuffer.allocate(0));
    }

    @Override
    public Promise<ClientResponse> send(byte[] content) {
        return send(ByteBuffer.wrap(content));
    }

    @Override
    public Promise<ClientResponse> send(String content) {
        return send(content.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Promise<ClientResponse> send(ByteBuffer content) {
        ByteBuffer whole = content.duplicate();
        if (declaredLength >= 0 && declaredLength != whole.remaining()) {
            throw new IllegalArgumentException("body has " + whole.remaining() + " bytes but Content-Length says "
                    + declaredLength);
        }
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the request has already started");
        }
        Runnable go = () -> {
            body.keep(whole);
            ended = true;
            pools.acquire(this);
        };
        if (loop.inLoop()) {
            go.run();
        } else {
            try {
                loop.execute(go);
            } catch (LoopClosedException e) {
                promise.reject(e);
            }
        }
        return promise;
    }

    @Override
    public boolean write(ByteBuffer chunk) {
        checkLoop();
        if (ended) {
            throw new IllegalStateException("write after end");
        }
        int n = chunk.remaining();
        if (declaredLength >= 0 && body.written() + n > declaredLength) {
            throw new IllegalStateException("body exceeds the Content-Length set (" + declaredLength + ")");
        }
        if (started.compareAndSet(false, true)) {
            pools.acquire(this);
        }
        if (done) {
            chunk.position(chunk.limit()); // the exchange is over: nobody reads this any more
            return true;
        }
        if (!body.isAttached()) {
            needDrain |= !body.buffer(chunk);
            return !needDrain;
        }
        boolean ok = body.write(chunk);
        needDrain |= !ok;
        return ok;
    }

    @Override
    public boolean write(byte[] chunk) {
        return write(ByteBuffer.wrap(chunk));
    }

    @Override
    public boolean write(String chunk) {
        return write(chunk.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public ClientRequest onDrain(Runnable handler) {
        checkLoop();
        this.onDrain = handler;
        return this;
    }

    @Override
    public void end() {
        checkLoop();
        if (ended) {
            return;
        }
        if (declaredLength >= 0 && body.written() < declaredLength) {
            IllegalStateException e = new IllegalStateException("body ended after " + body.written()
                    + " bytes but Content-Length says " + declaredLength);
            abort(e);
            throw e;
        }
        ended = true;
        if (started.compareAndSet(false, true)) {
            pools.acquire(this);
        } else if (body.isAttached() && !done) {
            body.finish();
        }
    }

    @Override
    public Promise<ClientResponse> response() {
        return promise;
    }

    private void abort(Throwable cause) {
        body.abort(cause);
        fail(cause);
    }

    // ------------------------------------------------------------------------------------------
    // Called by the connection (loop thread)

    /** Writes the head and what is buffered of the body to {@code c}. */
    void attach(Http1ClientConnection c) {
        if (wantsClose()) {
            c.closeAfterExchange();
        }
        boolean ok = body.attach(c, ended, declaredLength, options.userAgent());
        if (!c.isCurrent(this)) {
            return;
        }
        if (ended) {
            body.finish();
        } else if (ok && needDrain) {
            drained();
        }
    }

    void drained() {
        if (needDrain && !done) {
            needDrain = false;
            if (onDrain != null) {
                onDrain.run();
            }
        }
    }

    void responded(Http1ClientResponse r) {
        promise.resolve(r);
    }

    /** The response ended: later writes are dropped. */
    void completed() {
        done = true;
        body.clear();
    }

    void fail(Throwable cause) {
        done = true;
        body.clear();
        promise.reject(cause);
    }

    boolean canRetry() {
        boolean idempotent = IDEMPOTENT.contains(method) || headers.contains("Idempotency-Key");
        return !retried && !done && idempotent && body.replayable();
    }

    void retrying() {
        retried = true;
        body.detach();
    }

    private boolean wantsClose() {
        String c = headers.get(HttpHeaders.CONNECTION);
        return c != null && c.toLowerCase(Locale.ROOT).contains("close");
    }

    private void checkLoop() {
        if (!loop.inLoop()) {
            throw new IllegalStateException("request to " + origin + " is confined to loop " + loop.name()
                    + "; called from " + Thread.currentThread().getName() + " (use loop().execute)");
        }
    }

    boolean isHeadRequest() {
        return method.equals("HEAD");
    }

    Duration headTimeout() {
        return headTimeout;
    }

    Duration idleTimeout() {
        return idleTimeout;
    }

    Origin origin() {
        return origin;
    }

    // ------------------------------------------------------------------------------------------
    // Accessors

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String host() {
        return origin.host();
    }

    @Override
    public int port() {
        return origin.port();
    }

    @Override
    public String target() {
        return target;
    }

    @Override
    public HttpHeaders headers() {
        return headers;
    }

    @Override
    public String toString() {
        return method + " http://" + origin + target;
    }
}
