package io.eventide.pg.internal;

import io.eventide.pg.internal.codec.Wire;
import java.nio.ByteBuffer;

/**
 * One unit of work on a connection: encodes its messages once, then consumes backend messages until
 * the last one it expects (usually ReadyForQuery) arrives. Commands are answered in the order they
 * were sent, so the head of the connection's in-flight queue owns every message that is not
 * asynchronous (notices, notifications and parameter statuses are handled by the connection).
 */
interface Command {
    /** Writes this command's messages. */
    void encode(WireConnection c, Wire w);

    /**
     * @param type the message type byte
     * @param body the body, valid only during the call
     * @return true when this command is finished and leaves the queue
     */
    boolean message(WireConnection c, byte type, ByteBuffer body);

    /** The connection is gone: settle with {@code cause} (or a better error seen before). Exactly once. */
    void fail(Throwable cause);

    /** @return the promise this command settles, for cancellation; null when none */
    default Object promise() {
        return null;
    }
}
