package io.eventide.core.internal;

import java.util.Arrays;

/**
 * Binary min-heap of {@link ScheduledTimer}s ordered by deadline, then by scheduling order.
 *
 * <p>Costs: schedule O(log n); cancel O(1) (the entry is only marked, and skipped when it reaches
 * the top); when more than half of the heap is cancelled entries it is compacted in O(n), so
 * memory stays proportional to live timers even under heavy cancel churn (idle timeouts that are
 * set and cancelled on every request). 100,000 pending timers cost ~800 KiB of array plus the
 * entries themselves.
 *
 * <p><b>Threading:</b> loop-confined.
 */
public final class TimerQueue {
    private static final int COMPACT_MIN = 64;

    private ScheduledTimer[] heap = new ScheduledTimer[64];
    private int size;
    private int cancelledCount;
    private long nextSeq;

    /** @return live plus not-yet-compacted cancelled entries */
    public int size() {
        return size;
    }

    /** @return the number of timers not cancelled */
    public int liveCount() {
        return size - cancelledCount;
    }

    /**
     * @param t timer to add; its deadline must be set
     */
    public void add(ScheduledTimer t) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        t.enqueued(this, nextSeq++);
        heap[size] = t;
        siftUp(size++);
    }

    /**
     * @return the earliest deadline among live timers, or {@link Long#MAX_VALUE} when none
     */
    public long nextDeadline() {
        dropCancelledTop();
        return size == 0 ? Long.MAX_VALUE : heap[0].deadline();
    }

    /**
     * @param now current nano time
     * @return the earliest live timer whose deadline is at or before {@code now}, removed from the
     *     queue, or {@code null}
     */
    public ScheduledTimer pollDue(long now) {
        dropCancelledTop();
        if (size == 0 || heap[0].deadline() - now > 0) {
            return null;
        }
        ScheduledTimer t = removeTop();
        t.dequeued();
        return t;
    }

    /** Cancels every entry and empties the queue. */
    public void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].dequeued();
            heap[i] = null;
        }
        size = 0;
        cancelledCount = 0;
    }

    void cancelled() {
        cancelledCount++;
        if (cancelledCount >= COMPACT_MIN && cancelledCount > size / 2) {
            compact();
        }
    }

    private void dropCancelledTop() {
        while (size > 0 && heap[0].isCancelled()) {
            removeTop().dequeued();
            cancelledCount--;
        }
    }

    private void compact() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            ScheduledTimer t = heap[i];
            if (t.isCancelled()) {
                t.dequeued();
            } else {
                heap[n++] = t;
            }
        }
        Arrays.fill(heap, n, size, null);
        size = n;
        cancelledCount = 0;
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    private ScheduledTimer removeTop() {
        ScheduledTimer top = heap[0];
        heap[0] = heap[--size];
        heap[size] = null;
        if (size > 0) {
            siftDown(0);
        }
        return top;
    }

    private static boolean less(ScheduledTimer a, ScheduledTimer b) {
        long d = a.deadline() - b.deadline();
        return d < 0 || (d == 0 && a.seq() < b.seq());
    }

    private void siftUp(int i) {
        ScheduledTimer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(t, heap[parent])) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = t;
    }

    private void siftDown(int i) {
        ScheduledTimer t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < size && less(heap[child + 1], heap[child])) {
                child++;
            }
            if (!less(heap[child], t)) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = t;
    }
}
