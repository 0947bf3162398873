package io.eventide.core.internal.io;

import io.eventide.core.internal.LoopStats;
import io.eventide.core.spi.IoHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The NIO transport's {@link Poller}: one loop's {@link Selector}: registration, the poll with its timeout, and the wakeup protocol
 * that lets any thread rouse a sleeping loop without a wakeup storm on a busy one.
 *
 * <p>Wakeups follow the {@link WakeGate}: {@link #wakeup()} calls {@code selector.wakeup()} only
 * for the producer that finds the loop asleep.
 *
 * <p>Ready keys are dispatched straight from {@code Selector.select(Consumer, timeout)}: no selected
 * key set, no iterator garbage. The first dispatched key ends the idle period (handler time is busy
 * time for the watchdog).
 *
 * <p>The JDK epoll spin bug (JDK-6403933) that made Netty rebuild selectors was fixed long ago, so
 * the poller does not rebuild (handlers keep their keys); it only says so loudly if a selector ever
 * returns early, with nothing ready, 512 times in a row.
 *
 * <p><b>Threading:</b> loop-confined, except {@link #wakeup()} (any thread).
 */
public final class NioPoller implements Poller {
    private static final System.Logger LOG = System.getLogger("io.eventide");
    private static final int SPIN_WARNING = 512;

    private final String loopName;
    private final Selector selector;
    private final LoopStats stats;
    private final WakeGate gate;
    private final Consumer<SelectionKey> dispatch;
    private int prematureWakeups;

    /**
     * @param loopName for messages
     * @param stats where idle time is recorded
     * @param hasTasks whether the loop's task queue holds work (read before sleeping)
     * @param dispatch called for every ready key, from inside select
     */
    public NioPoller(String loopName, LoopStats stats, BooleanSupplier hasTasks, Dispatch dispatch) {
        this.loopName = loopName;
        this.stats = stats;
        this.gate = new WakeGate(hasTasks);
        this.dispatch = key -> {
            stats.idleEnd();
            if (key.isValid()) {
                dispatch.ready((IoHandler) key.attachment(), key.readyOps());
            }
        };
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for " + loopName, e);
        }
    }

    /**
     * Registers a channel of the caller's own (for {@code EventLoop.register}).
     *
     * @param channel a channel, switched to non-blocking mode here
     * @param ops interest set
     * @param attachment the handler dispatched when the channel is ready
     * @return its key
     * @throws IOException if the channel cannot be registered
     */
    public SelectionKey register(SelectableChannel channel, int ops, Object attachment) throws IOException {
        channel.configureBlocking(false);
        return channel.register(selector, ops, attachment);
    }

    @Override
    public void poll(long timeoutNanos) {
        try {
            if (timeoutNanos == 0) {
                selector.selectNow(dispatch);
                return;
            }
            if (!gate.trySleep()) {
                selector.selectNow(dispatch);
                return;
            }
            long ms = Math.max(0, WakeGate.sleepMillis(timeoutNanos)); // select: 0 waits for ever
            long start = System.nanoTime();
            stats.idleStart();
            int n = selector.select(dispatch, ms);
            long slept = System.nanoTime() - start;
            stats.idleEnd();
            gate.awake();
            detectSpin(n, ms, slept);
        } catch (IOException e) {
            LOG.log(Level.ERROR, "select failed on loop " + loopName, e);
        }
    }

    @Override
    public void wakeup() {
        if (gate.claimWakeup()) {
            selector.wakeup();
        }
    }

    private void detectSpin(int selected, long ms, long sleptNanos) {
        // A timeout is never shorter than the wait for the earliest timer, so returning before half
        // of it with nothing selected and no task queued is a wakeup for nothing.
        boolean premature = selected == 0 && ms > 1 && sleptNanos < TimeUnit.MILLISECONDS.toNanos(ms) / 2
                && !gate.hasTasks();
        prematureWakeups = premature ? prematureWakeups + 1 : 0;
        if (prematureWakeups == SPIN_WARNING) {
            LOG.log(Level.WARNING, "selector of loop " + loopName + " returned early " + SPIN_WARNING
                    + " times in a row with nothing ready; the JDK selector may be spinning");
        }
    }

    @Override
    public int registered() {
        return selector.keys().size();
    }

    @Override
    public List<IoHandler> handlers() {
        List<IoHandler> hs = new ArrayList<>();
        for (SelectionKey k : selector.keys().toArray(new SelectionKey[0])) {
            if (k.isValid() && k.attachment() instanceof IoHandler h) {
                hs.add(h);
            }
        }
        return hs;
    }

    @Override
    public boolean isOpen() {
        return selector.isOpen();
    }

    @Override
    public Sock openStream(InetAddress remote) throws IOException {
        return new NioSock(SocketChannel.open());
    }

    @Override
    public Sock openDatagram(InetAddress remote) throws IOException {
        return new NioSock(DatagramChannel.open(remote instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET));
    }

    @Override
    public Sock listen(InetSocketAddress local, int backlog, boolean reusePort) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (reusePort) {
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            ch.bind(local, backlog);
            return new NioSock(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public int close() {
        int open = 0;
        for (SelectionKey k : selector.keys()) {
            if (!k.channel().isOpen()) {
                continue;
            }
            open++;
            try {
                k.channel().close();
            } catch (IOException e) {
                // Closing a channel at shutdown: nothing useful to do with the failure.
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing selector of " + loopName + " failed", e);
        }
        return open;
    }
}
