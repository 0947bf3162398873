package io.eventide.bus.kafka.internal;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * What of one partition is processed: offsets handed to handlers in order, the ones whose handler
 * has settled, and from them the offset to commit, which only moves past a contiguous run of
 * settled offsets. Handlers settle out of order (credit &gt; 1), the commit never does: a crash
 * redelivers what was not done, never skips it.
 *
 * <p><b>Threading:</b> the consumer's poll thread only.
 */
public final class Progress {
    private final ArrayDeque<Long> handed = new ArrayDeque<>();
    private final Set<Long> settled = new HashSet<>();
    private long commit = -1;
    private boolean moved;

    /** @param offset handed to a handler, in increasing order */
    public void handed(long offset) {
        handed.add(offset);
    }

    /** @param offset whose handler settled */
    public void settled(long offset) {
        settled.add(offset);
        Long head;
        while ((head = handed.peek()) != null && settled.remove(head)) {
            handed.poll();
            commit = head + 1;
            moved = true;
        }
    }

    /** @return the offset to commit if it moved since the last call, else -1 */
    public long takeCommit() {
        if (!moved) {
            return -1;
        }
        moved = false;
        return commit;
    }

    /** @return the last offset to commit, whether or not it was taken, else -1 */
    public long commit() {
        return commit;
    }

    /** @return offsets handed and not settled */
    public int outstanding() {
        return handed.size();
    }
}
