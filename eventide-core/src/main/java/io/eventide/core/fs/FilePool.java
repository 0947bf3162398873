package io.eventide.core.fs;

import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.Promise;
import io.eventide.core.internal.BoundedPool;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Callable;

/**
 * The bounded thread pool that runs blocking file-system calls for {@link FileSystem}. It is its own
 * pool, not the offload pool: a burst of slow disk reads must not starve CPU work, nor the other way
 * round (libuv shares one pool and Node has suffered for it; see STYLE.md §10). Each
 * {@link LoopGroup} gets one shared pool on first use ({@link #of(LoopGroup)}); a pool made with
 * {@link #create} belongs to its creator, who closes it.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>property</th></tr>
 *   <tr><td>threads</td><td>{@value #DEFAULT_THREADS}</td><td>{@code eventide.core.fs-threads}</td></tr>
 *   <tr><td>queue</td><td>{@value #DEFAULT_QUEUE}</td><td>{@code eventide.core.fs-queue}</td></tr>
 *   <tr><td>idle thread keep-alive</td><td>30 s</td><td></td></tr>
 * </table>
 *
 * <p>When the queue is full a call fails at once with {@link io.eventide.core.OverloadException};
 * {@link #queued()} is exported as {@code eventide_fs_queue_depth} in a host's {@code /metrics}.
 *
 * <p><b>Threading:</b> any thread. Calls run on the pool's threads ({@code eventide-fs-N}); their
 * promises settle on the loop that asked.
 */
public final class FilePool implements AutoCloseable {
    /** Default number of threads (libuv's default pool size). */
    public static final int DEFAULT_THREADS = 4;
    /** Default queue bound. */
    public static final int DEFAULT_QUEUE = 1024;

    // Guarded by itself. Weak keys: a group nobody references any more takes its pool with it (the
    // pool's idle threads have ended by then; they do not hold the group).
    private static final Map<LoopGroup, FilePool> SHARED = new WeakHashMap<>();

    private final BoundedPool pool;

    private FilePool(String name, int threads, int queue) {
        this.pool = new BoundedPool(name, threads, queue, 30);
    }

    /**
     * @param group a loop group
     * @return the group's shared pool, created on first use with the defaults (or the properties)
     */
    public static FilePool of(LoopGroup group) {
        synchronized (SHARED) {
            return SHARED.computeIfAbsent(group, g -> new FilePool("eventide-fs",
                    Integer.getInteger("eventide.core.fs-threads", DEFAULT_THREADS),
                    Integer.getInteger("eventide.core.fs-queue", DEFAULT_QUEUE)));
        }
    }

    /**
     * A private pool, for a component that must not share (or a test that wants a tiny queue).
     *
     * @param name thread name prefix
     * @param threads pool size, at least 1
     * @param queue queue bound, at least 1
     * @return a new pool; {@link #close()} it when done
     */
    public static FilePool create(String name, int threads, int queue) {
        return new FilePool(name, threads, queue);
    }

    <T> Promise<T> submit(EventLoop loop, Callable<T> call) {
        return pool.submit(loop, call);
    }

    /** @return calls waiting for a thread (the queue depth) */
    public int queued() {
        return pool.queued();
    }

    /** @return calls running now */
    public int active() {
        return pool.active();
    }

    /** @return the number of threads */
    public int threads() {
        return pool.threads();
    }

    /** @return the queue bound */
    public int queueCapacity() {
        return pool.queueCapacity();
    }

    /** @return calls refused because the queue was full */
    public long rejected() {
        return pool.rejected();
    }

    /** @return calls finished so far */
    public long completed() {
        return pool.completed();
    }

    /** Stops taking calls; queued calls still run. Does not block. Closing a shared pool is refused. */
    @Override
    public void close() {
        synchronized (SHARED) {
            if (SHARED.containsValue(this)) {
                throw new IllegalStateException("the shared file pool of a group is not closed by hand");
            }
        }
        pool.shutdown();
    }

    @Override
    public String toString() {
        return "FilePool[" + pool.name() + ", threads=" + threads() + ", queued=" + queued() + "]";
    }
}
