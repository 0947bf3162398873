package io.eventide.bus.nats.internal;

import io.eventide.bus.BusException;
import io.eventide.bus.Message;
import io.eventide.bus.nats.NatsOptions;
import io.eventide.bus.spi.BridgeThreads;
import io.eventide.bus.spi.MessageIds;
import io.eventide.bus.spi.SendWindow;
import io.eventide.core.EventLoop;
import io.eventide.core.OverloadException;
import io.eventide.core.Promise;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Publishing to JetStream from one dedicated thread: {@code publishAsync} with the message id as
 * {@code Nats-Msg-Id}, the promise settled by the PubAck. A publish the server did not acknowledge
 * (timeout, no responders while it restarts, a lost connection) is published again with the same
 * id, so the stream's duplicate window stores it once; a refusal by JetStream (an API error) fails
 * the promise.
 *
 * <p><b>Threading:</b> {@link #submit} and the counters: any thread. jnats calls
 * {@code publishAsync} may block (the reconnect buffer, a full outgoing queue): only this thread
 * makes them. PubAck futures complete on jnats threads and only settle promises and re-queue.
 */
public final class NatsPublisher implements Runnable {
    /** Header JetStream dedupes on. */
    public static final String NATS_MSG_ID = "Nats-Msg-Id";

    private record Pending(String address, Message message, String id, Promise<Void> promise, long deadline) {
    }

    private final Link link;
    private final LinkedBlockingQueue<Pending> outbox = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Pending> retry = new LinkedBlockingQueue<>();
    private final SendWindow window;
    private final Thread thread;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile boolean closing;

    /** @param link the connection @param options bounds */
    public NatsPublisher(Link link, NatsOptions options) {
        this.link = link;
        this.window = new SendWindow("NATS", options.maxPendingSends());
        this.thread = new Thread(this, "eventide-nats-publisher");
        this.thread.setDaemon(true);
    }

    /** Starts the thread. */
    public void start() {
        thread.start();
    }

    /**
     * @param loop owns the promise
     * @param address subject (and stream)
     * @param m the message
     * @return resolves on the PubAck
     */
    public Promise<Void> submit(EventLoop loop, String address, Message m) {
        if (closing) {
            return Promise.failed(loop, new BusException("NATS transport is closed"));
        }
        OverloadException refused = window.tryAcquire(link.isConnected());
        if (refused != null) {
            return Promise.failed(loop, refused);
        }
        String id = m.header(Message.MESSAGE_ID);
        Promise<Void> p = loop.promise();
        outbox.add(new Pending(address, m, id != null ? id : MessageIds.next(), p,
                System.nanoTime() + TimeUnit.MINUTES.toNanos(1)));
        return p;
    }

    /** @return accepted, unacknowledged sends */
    public int pending() {
        return window.pending();
    }

    @Override
    public void run() {
        try {
            while (!closing || window.pending() > 0) {
                Pending p = retry.poll();
                if (p != null && !link.isConnected()) {
                    retry.add(p);
                    Thread.sleep(20); // blocking-ok: the publisher's own thread waits for the reconnect
                    continue;
                }
                if (p == null) {
                    p = outbox.poll(50, TimeUnit.MILLISECONDS);
                }
                if (p != null) {
                    publish(p);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            failRemaining();
            terminated.complete(null);
        }
    }

    private void publish(Pending p) throws InterruptedException {
        try {
            link.ensureStream(p.address());
            JetStream js = link.connection().jetStream();
            Headers h = new Headers();
            for (Map.Entry<String, String> e : p.message().headers().entrySet()) {
                h.put(e.getKey(), e.getValue());
            }
            h.put(NATS_MSG_ID, p.id());
            PublishOptions po = PublishOptions.builder().messageId(p.id()).build();
            js.publishAsync(p.address(), h, p.message().body(), po).whenComplete((ack, err) -> acked(p, ack, err));
        } catch (JetStreamApiException e) {
            fail(p, new BusException("JetStream refused the stream for " + p.address() + ": " + e.getMessage(), e));
        } catch (IOException | IllegalStateException e) {
            again(p, e); // not connected (yet), or the reconnect buffer is full
            Thread.sleep(20); // blocking-ok: the publisher's own thread backs off while the server is away
        }
    }

    private void acked(Pending p, PublishAck ack, Throwable err) {
        if (err == null) {
            window.release();
            p.promise().resolve(null); // a duplicate ack means the stream already has it: confirmed too
            return;
        }
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof JetStreamApiException api) {
            fail(p, new BusException("JetStream refused the message to " + p.address() + ": " + api.getMessage(), api));
        } else {
            again(p, cause);
        }
    }

    private void again(Pending p, Throwable cause) {
        if (System.nanoTime() - p.deadline() > 0) {
            fail(p, new BusException("NATS did not acknowledge the message to " + p.address() + " within a minute: " + cause, cause));
        } else {
            retry.add(p);
        }
    }

    private void fail(Pending p, Throwable t) {
        window.release();
        p.promise().reject(t);
    }

    /**
     * @param graceMs how long to wait for acknowledgements
     * @return completes when the thread is gone
     */
    public CompletableFuture<Void> close(long graceMs) {
        closing = true;
        return BridgeThreads.stopWithin(thread, terminated, graceMs);
    }

    private void failRemaining() {
        BusException closed = new BusException("NATS transport closed before the server acknowledged");
        Pending p;
        while ((p = retry.poll()) != null) {
            fail(p, closed);
        }
        while ((p = outbox.poll()) != null) {
            fail(p, closed);
        }
    }
}
