package io.eventide.bus.rabbitmq.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.eventide.bus.BusException;
import io.eventide.bus.Message;
import io.eventide.bus.rabbitmq.RabbitOptions;
import io.eventide.bus.spi.BridgeThreads;
import io.eventide.bus.spi.MessageIds;
import io.eventide.bus.spi.SendWindow;
import io.eventide.core.EventLoop;
import io.eventide.core.OverloadException;
import io.eventide.core.Promise;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The publishing side of the RabbitMQ bridge: one thread owns one connection and one channel in
 * confirm mode, so no loop ever calls into the client (a publish blocks while the broker has
 * blocked the connection, and a connect blocks for seconds).
 *
 * <ol>
 *   <li>{@link #submit} (any thread) checks the bounds (not blocked, at most {@code maxPendingSends}
 *       accepted and unconfirmed) and queues the message; the promise settles on the caller's loop.</li>
 *   <li>The thread declares the destination once per channel (topology), takes the next publish
 *       sequence number, records the message under it, and publishes: persistent, with its
 *       message id, {@code mandatory} for sends so an unroutable one comes back.</li>
 *   <li>basic.ack resolves (or, for a returned message, rejects as unroutable); basic.nack rejects.</li>
 *   <li>When the channel or connection fails, every unconfirmed message goes back to the front of the
 *       queue, in order; the thread reconnects with a doubling delay, re-declares what it uses and
 *       re-publishes them with the same message ids (the broker may have had some: consumers see
 *       those twice, never zero times).</li>
 *   <li>{@code connection.blocked}: {@link #isBlocked()} turns true, new sends fail at once with an
 *       {@link OverloadException} (backpressure the caller can turn into 503), the thread publishes
 *       nothing until {@code connection.unblocked}.</li>
 * </ol>
 *
 * <p><b>Threading:</b> {@link #submit}, {@link #isBlocked}, {@link #pending} and {@link #close}: any
 * thread. Everything else runs on the publisher thread, except the confirm/return/blocked callbacks,
 * which the client runs on its connection thread; they touch only the concurrent maps.
 */
public final class Publisher implements Runnable {
    private static final System.Logger LOG = System.getLogger("io.eventide.bus.rabbitmq");

    /** One accepted message until its confirm. */
    static final class Pending {
        final boolean queue;
        final String address;
        final Message message;
        final String id;
        final Promise<Void> promise;
        volatile String returned;

        Pending(boolean queue, String address, Message message, String id, Promise<Void> promise) {
            this.queue = queue;
            this.address = address;
            this.message = message;
            this.id = id;
            this.promise = promise;
        }
    }

    private final RabbitOptions options;
    private final ConnectionFactory factory;
    private final String name;
    private final LinkedBlockingQueue<Pending> outbox = new LinkedBlockingQueue<>();
    private final ArrayDeque<Pending> resend = new ArrayDeque<>();
    private final ConcurrentHashMap<String, Pending> byId = new ConcurrentHashMap<>();
    private final SendWindow window;
    private final Set<String> declared = new HashSet<>();
    private final Thread thread;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile ConcurrentSkipListMap<Long, Pending> unconfirmed = new ConcurrentSkipListMap<>();
    private volatile boolean blocked;
    private volatile OverloadException blockedRefusal; // made once per connection.blocked, shared by refusals
    private volatile boolean connected;
    private volatile boolean closing;
    private Connection connection;
    private Channel channel;
    private long reconnectDelayMs;
    private volatile long connects;

    /**
     * @param options broker and bounds
     * @param name connection name shown by the broker
     */
    public Publisher(RabbitOptions options, String name) {
        this.options = options;
        this.factory = Amqp.factory(options);
        this.factory.setAutomaticRecoveryEnabled(false); // this thread recovers, re-publishing what was unconfirmed
        this.name = name;
        this.reconnectDelayMs = options.reconnectDelay().toMillis();
        this.window = new SendWindow("RabbitMQ", options.maxPendingSends());
        this.thread = new Thread(this, "eventide-rabbitmq-publisher");
        this.thread.setDaemon(true);
    }

    /** Starts the thread; it connects in the background. */
    public void start() {
        thread.start();
    }

    /**
     * @param loop owns the promise
     * @param queue true for a send (to the quorum queue named {@code address}), false for a publish
     *     (to the fanout exchange named {@code address})
     * @param address the destination
     * @param m the message
     * @return resolves on basic.ack
     */
    public Promise<Void> submit(EventLoop loop, boolean queue, String address, Message m) {
        if (closing) {
            return Promise.failed(loop, new BusException("RabbitMQ transport " + name + " is closed"));
        }
        if (blocked) {
            return Promise.failed(loop, blockedRefusal);
        }
        OverloadException refused = window.tryAcquire(connected);
        if (refused != null) {
            return Promise.failed(loop, refused);
        }
        String id = m.header(Message.MESSAGE_ID);
        Promise<Void> p = loop.promise();
        outbox.add(new Pending(queue, address, m, id != null ? id : MessageIds.next(), p));
        return p;
    }

    /** @return accepted sends not yet confirmed */
    public int pending() {
        return window.pending();
    }

    /** @return channels opened so far: 1 after the first connect, more after each recovery */
    public long connects() {
        return connects;
    }

    /** @return whether the broker blocked publishing or cannot be reached */
    public boolean isBlocked() {
        return blocked || !connected;
    }

    @Override
    public void run() {
        try {
            while (!closing || window.pending() > 0) {
                if (channel == null || !channel.isOpen()) {
                    if (!reconnect()) {
                        continue;
                    }
                }
                if (blocked) {
                    pause(20);
                    continue;
                }
                Pending p = resend.poll();
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
            closeConnection();
            terminated.complete(null);
        }
    }

    private void publish(Pending p) {
        try {
            declare(p);
            long seq = channel.getNextPublishSeqNo();
            unconfirmed.put(seq, p);
            if (p.queue) {
                byId.put(p.id, p);
            }
            AMQP.BasicProperties props = Amqp.properties(p.message, p.id);
            channel.basicPublish(p.queue ? "" : p.address, p.queue ? p.address : "", p.queue, props, p.message.body());
        } catch (IOException | ShutdownSignalException e) {
            channelFailed(p, e);
        }
    }

    private void declare(Pending p) throws IOException {
        String key = (p.queue ? "q:" : "x:") + p.address;
        if (declared.contains(key)) {
            return;
        }
        if (p.queue) {
            Amqp.declareQueue(channel, p.address, options.queueArguments());
        } else {
            Amqp.declareExchange(channel, p.address);
        }
        declared.add(key);
    }

    /**
     * A channel error with the connection still up concerns this message (a queue declared elsewhere
     * with other arguments, say): it fails, the rest is re-published on a new channel. A connection
     * error fails nothing: everything is re-published after the reconnect.
     */
    private void channelFailed(Pending p, Exception e) {
        boolean connectionUp = connection != null && connection.isOpen();
        unconfirmed.values().remove(p);
        if (connectionUp) {
            byId.remove(p.id);
            window.release();
            p.promise.reject(new BusException("RabbitMQ refused the message to " + p.address + ": " + e.getMessage(), e));
        } else {
            resend.addFirst(p);
        }
        requeueUnconfirmed();
        closeChannel();
    }

    private void requeueUnconfirmed() {
        ConcurrentSkipListMap<Long, Pending> old = unconfirmed;
        unconfirmed = new ConcurrentSkipListMap<>();
        // Oldest first, ahead of anything queued later and of what channelFailed put back.
        Pending[] ps = old.values().toArray(new Pending[0]);
        for (int i = ps.length - 1; i >= 0; i--) {
            byId.remove(ps[i].id);
            resend.addFirst(ps[i]);
        }
        declared.clear();
    }

    private boolean reconnect() throws InterruptedException {
        requeueUnconfirmed();
        try {
            if (connection == null || !connection.isOpen()) {
                closeConnection();
                connection = factory.newConnection(name);
                connection.addBlockedListener(new Blocking());
                connection.addShutdownListener(cause -> connected = false);
            }
            Channel ch = connection.createChannel();
            ch.confirmSelect();
            ConcurrentSkipListMap<Long, Pending> mine = unconfirmed;
            ch.addConfirmListener(new Confirms(mine));
            ch.addReturnListener(r -> {
                Pending p = byId.get(r.getProperties().getMessageId());
                if (p != null) {
                    p.returned = r.getReplyCode() + " " + r.getReplyText();
                }
            });
            channel = ch;
            connected = true;
            connects++; // single writer: this thread
            reconnectDelayMs = options.reconnectDelay().toMillis();
            return true;
        } catch (IOException | TimeoutException | ShutdownSignalException e) {
            connected = false;
            LOG.log(Level.DEBUG, "RabbitMQ " + name + " unreachable (" + e + "); retrying in " + reconnectDelayMs + " ms");
            if (closing) {
                throw new InterruptedException("closing while the broker is unreachable");
            }
            pause(reconnectDelayMs);
            reconnectDelayMs = Math.min(5_000, reconnectDelayMs * 2);
            return false;
        }
    }

    private static void pause(long ms) throws InterruptedException {
        Thread.sleep(ms); // blocking-ok: the bridge's own publisher thread
    }

    private final class Confirms implements ConfirmListener {
        private final ConcurrentSkipListMap<Long, Pending> map;

        Confirms(ConcurrentSkipListMap<Long, Pending> map) {
            this.map = map;
        }

        @Override
        public void handleAck(long seq, boolean multiple) {
            settle(seq, multiple, true);
        }

        @Override
        public void handleNack(long seq, boolean multiple) {
            settle(seq, multiple, false);
        }

        private void settle(long seq, boolean multiple, boolean ack) {
            ConcurrentNavigableMap<Long, Pending> done = multiple ? map.headMap(seq, true) : map.subMap(seq, true, seq, true);
            for (Map.Entry<Long, Pending> e : done.entrySet()) {
                Pending p = e.getValue();
                if (map.remove(e.getKey(), p)) {
                    byId.remove(p.id, p);
                    window.release();
                    if (!ack) {
                        p.promise.reject(new BusException("RabbitMQ refused (nack) the message to " + p.address));
                    } else if (p.returned != null) {
                        p.promise.reject(new BusException("RabbitMQ could not route the message to queue "
                                + p.address + " (" + p.returned + ")"));
                    } else {
                        p.promise.resolve(null);
                    }
                }
            }
        }
    }

    private final class Blocking implements BlockedListener {
        @Override
        public void handleBlocked(String reason) {
            blockedRefusal = new OverloadException("RabbitMQ blocked publishing on " + name + ": " + reason);
            blocked = true;
            LOG.log(Level.WARNING, "RabbitMQ blocked publishing on " + name + ": " + reason);
        }

        @Override
        public void handleUnblocked() {
            blocked = false;
            LOG.log(Level.INFO, "RabbitMQ unblocked publishing on " + name);
        }
    }

    /**
     * Stops taking sends; the thread publishes what it has for up to {@code graceMs}, then fails the rest.
     *
     * @param graceMs how long to wait for confirms
     * @return completes when the thread has closed its connection
     */
    public CompletableFuture<Void> close(long graceMs) {
        closing = true;
        return BridgeThreads.stopWithin(thread, terminated, graceMs);
    }

    private void failRemaining() {
        BusException closed = new BusException("RabbitMQ transport " + name + " closed before the broker confirmed");
        for (Pending p : unconfirmed.values()) {
            p.promise.reject(closed);
        }
        Pending p;
        while ((p = resend.poll()) != null) {
            p.promise.reject(closed);
        }
        while ((p = outbox.poll()) != null) {
            p.promise.reject(closed);
        }
    }

    private void closeChannel() {
        try {
            if (channel != null && channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | ShutdownSignalException e) {
            // Already failing: the connection-level handling below recovers.
        }
        channel = null;
    }

    private void closeConnection() {
        channel = null;
        try {
            if (connection != null && connection.isOpen()) {
                connection.close(2_000);
            }
        } catch (IOException | ShutdownSignalException e) {
            // Closing a connection that is failing anyway.
        }
        connection = null;
        connected = false;
    }
}
