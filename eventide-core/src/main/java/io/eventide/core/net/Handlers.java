package io.eventide.core.net;

import io.eventide.core.EventideException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * A {@link Connection}'s handler slots and the guarded calls into them: a handler that throws is
 * reported (to {@code onError}, else the loop's uncaught sink) and closes only its connection,
 * never the loop. Also the {@link Wire}'s way back into the connection.
 *
 * <p><b>Threading:</b> loop-confined, like its connection.
 */
final class Handlers implements Wire.Events {
    private static final Runnable NOOP = () -> { };

    private final Connection conn;
    private final Connection.ConnectionListener owner;
    private Wire wire;
    Consumer<ByteBuffer> onData = b -> b.position(b.limit());
    Runnable onEnd = NOOP;
    Runnable onDrain = NOOP;
    Consumer<Throwable> onClose = t -> { };
    Consumer<Throwable> onError;
    Runnable onShutdown;
    String label = "tcp";

    Handlers(Connection conn, Connection.ConnectionListener owner) {
        this.conn = conn;
        this.owner = owner;
    }

    void wire(Wire w) {
        this.wire = w;
    }

    /** Every slot at once, then {@link Protocol#attached}. */
    void install(Protocol next) {
        onData = next::onData;
        onEnd = next::onEnd;
        onDrain = next::onDrain;
        onClose = next::onClose;
        onShutdown = () -> next.onShutdown(conn);
        label = next.name();
        callback(() -> next.attached(conn));
    }

    @Override
    public void shutdown() {
        if (onShutdown != null) {
            callback(onShutdown);
        } else {
            wire.end();
        }
    }

    @Override
    public boolean data(ByteBuffer buf) {
        try {
            onData.accept(buf);
            return true;
        } catch (Throwable t) {
            callbackFailed(t);
            return false;
        }
    }

    @Override
    public void ended() {
        callback(onEnd);
    }

    @Override
    public void drained() {
        callback(onDrain);
    }

    @Override
    public void fileSent(FileRegion region) {
        callback(() -> region.onSent().accept(null));
    }

    @Override
    public void failed(Throwable cause) {
        if (wire.isClosed()) {
            return;
        }
        if (onError != null) {
            try {
                onError.accept(cause);
            } catch (Throwable t) {
                conn.loop().reportUncaught(t);
            }
        }
        wire.closeNow(cause);
    }

    @Override
    public void closed(Throwable cause) {
        owner.closed(conn);
        try {
            onClose.accept(cause);
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme) {
                throw vme;
            }
            conn.loop().reportUncaught(t);
        }
    }

    @Override
    public String name() {
        return conn.handlerName();
    }

    private void callbackFailed(Throwable t) {
        if (t instanceof VirtualMachineError vme) {
            throw vme;
        }
        if (onError == null) {
            conn.loop().reportUncaught(new EventideException("callback of " + name() + " threw; closing it", t));
        }
        failed(t);
    }

    void callback(Runnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            callbackFailed(t);
        }
    }
}
