package io.eventide.bus;

import io.eventide.bus.spi.MessageIds;
import io.eventide.bus.spi.Transport;
import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Load levelling, the ready pattern: accept work at the edge, enqueue it durably, answer at once
 * with an id; workers take jobs at their own pace; past a backlog bound, refuse new work up front
 * (HTTP 503 + Retry-After) instead of letting the queue grow. Status changes are published on the
 * bus ({@code <address>.status}), so any instance can follow any job.
 *
 * <pre>
 *   HTTP POST ─► isFull()? ─yes─► 503, Retry-After      (before the body is read)
 *                  │ no
 *                  ▼
 *   enqueue(body) ─► bus.send(address) ─confirm─► 202 {id}      status: queued
 *                                                      │
 *   work(loop, credit, job -&gt; promise) ◄───────────────┘        status: running ─► done | failed
 * </pre>
 *
 * <p>The backlog is the broker's count of waiting messages ({@link Transport#depth}), read every
 * {@code refresh} on a loop without blocking it, plus what this instance enqueued since the last
 * reading; for a local address it is the jobs enqueued here and not yet started.
 *
 * <p><b>Threading:</b> any thread. Workers run on their loop; status watchers on theirs.
 */
public final class WorkQueue {
    /** Header carrying a job's id on the queued message. */
    public static final String JOB_ID = "job-id";
    private static final int REMEMBERED = 10_000;

    private final Bus bus;
    private final String address;
    private final String statusAddress;
    private final long maxBacklog;
    private final Duration retryAfter;
    private final Transport transport;
    private final AtomicLong sinceReading = new AtomicLong();
    private final AtomicLong waitingLocally = new AtomicLong();
    private volatile long brokerDepth;
    private final Map<String, JobStatus> recent = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, JobStatus> e) {
                    return size() > REMEMBERED;
                }
            });
    private final ConcurrentHashMap<String, CopyOnWriteArrayList<Consumer<JobStatus>>> watchers = new ConcurrentHashMap<>();

    private WorkQueue(Bus bus, String address, long maxBacklog, Duration retryAfter, EventLoop home, Duration refresh) {
        this.bus = Objects.requireNonNull(bus, "bus");
        this.address = Objects.requireNonNull(address, "address");
        this.statusAddress = address + ".status";
        this.maxBacklog = maxBacklog;
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
        this.transport = bus.transportOf(address);
        bus.subscribe(home, statusAddress, ConsumerOptions.defaults().credit(1024).overflow(Overflow.DROP_OLDEST),
                Handler.sync(d -> statusSeen(parse(d.message()))));
        if (transport != null) {
            home.setInterval(refresh, this::readDepth);
        }
    }

    /**
     * @param bus the bus (the address is usually bridged to a broker, for durability)
     * @param address the queue
     * @param maxBacklog past this many waiting jobs, {@link #isFull()} is true
     * @param retryAfter what to tell refused clients
     * @return the queue; its status subscription and depth reading run on one loop of the bus's group
     */
    public static WorkQueue create(Bus bus, String address, long maxBacklog, Duration retryAfter) {
        if (maxBacklog < 1) {
            throw new IllegalArgumentException("maxBacklog must be >= 1: " + maxBacklog);
        }
        // Jackson builds its status (de)serialisers once, ~100 ms cold: here, not on the loop at the first status.
        parse(Message.of(new JobStatus("warm-up", JobStatus.State.QUEUED, "").toJson()));
        return new WorkQueue(bus, address, maxBacklog, retryAfter, bus.group().next(), Duration.ofMillis(250));
    }

    /** @return the queue's address */
    public String address() {
        return address;
    }

    /** @return the waiting jobs, as last known (see the class comment) */
    public long backlog() {
        return transport != null ? brokerDepth + sinceReading.get() : waitingLocally.get();
    }

    /** @return whether new work should be refused now */
    public boolean isFull() {
        return backlog() >= maxBacklog || (transport != null && transport.isBlocked());
    }

    /** @return how long refused clients should wait before retrying */
    public Duration retryAfter() {
        return retryAfter;
    }

    /**
     * Enqueues a job durably.
     *
     * @param payload the job's input
     * @return the job's id once the broker confirmed it; fails like {@link Bus#send}. Ids are unique,
     *     not secret ({@link MessageIds}): anyone who can reach the status routes can follow any job
     */
    public Promise<String> enqueue(Message payload) {
        String id = MessageIds.next();
        Message m = payload.header(JOB_ID, id).header(Message.MESSAGE_ID, id);
        sinceReading.incrementAndGet();
        waitingLocally.incrementAndGet();
        return bus.send(address, m).map(v -> {
            status(new JobStatus(id, JobStatus.State.QUEUED, ""));
            return id;
        }).whenComplete((v, e) -> {
            if (e != null) {
                waitingLocally.decrementAndGet();
            }
        });
    }

    /**
     * Takes jobs on {@code loop}, at most {@code credit} at once.
     *
     * @param loop where {@code worker} runs
     * @param credit jobs worked on at once
     * @param worker the job's payload in, a promise settled when it is done
     * @return the consumer
     */
    public BusConsumer work(EventLoop loop, int credit, Function<Message, Promise<?>> worker) {
        return bus.consume(loop, address, ConsumerOptions.defaults().credit(credit), d -> {
            String id = d.message().header(JOB_ID);
            waitingLocally.decrementAndGet();
            if (id == null) {
                return worker.apply(d.message());
            }
            status(new JobStatus(id, JobStatus.State.RUNNING, ""));
            Promise<?> p;
            try {
                p = worker.apply(d.message());
            } catch (RuntimeException e) {
                p = Promise.failed(d.loop(), e);
            }
            return p.whenComplete((v, e) -> status(e == null ? new JobStatus(id, JobStatus.State.DONE, "")
                    : new JobStatus(id, JobStatus.State.FAILED, String.valueOf(e.getMessage()))));
        });
    }

    /**
     * @param id a job id
     * @return its last status seen by this instance, or null
     */
    public JobStatus status(String id) {
        return recent.get(id);
    }

    /**
     * Calls {@code watcher} with every later status of job {@code id} (and the current one, if known),
     * until a final one. The watcher runs on the thread the status arrives on: hop to your loop.
     *
     * @param id the job
     * @param watcher called with each status
     * @return stops watching
     */
    public Runnable watch(String id, Consumer<JobStatus> watcher) {
        CopyOnWriteArrayList<Consumer<JobStatus>> list = watchers.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>());
        list.add(watcher);
        JobStatus now = recent.get(id);
        if (now != null) {
            watcher.accept(now);
        }
        return () -> list.remove(watcher);
    }

    private void status(JobStatus s) {
        bus.publish(statusAddress, Message.of(s.toJson()).header(JOB_ID, s.id()));
    }

    private void statusSeen(JobStatus s) {
        JobStatus before = recent.get(s.id());
        if (before != null && before.state().ordinal() > s.state().ordinal()) {
            return; // statuses from several instances may cross; never move a job backwards
        }
        recent.put(s.id(), s);
        CopyOnWriteArrayList<Consumer<JobStatus>> list = watchers.get(s.id());
        if (list != null) {
            for (Consumer<JobStatus> w : list) {
                w.accept(s);
            }
            if (s.state().isFinal()) {
                watchers.remove(s.id());
            }
        }
    }

    private static JobStatus parse(Message m) {
        Map<?, ?> map = m.json(Map.class);
        return new JobStatus(String.valueOf(map.get("id")),
                JobStatus.State.valueOf(String.valueOf(map.get("state")).toUpperCase(java.util.Locale.ROOT)),
                String.valueOf(map.get("detail")));
    }

    private void readDepth() {
        long before = sinceReading.get();
        transport.depth(EventLoop.current(), address).onSuccess(n -> {
            brokerDepth = n;
            sinceReading.addAndGet(-before);
        }).onFailure(e -> { }); // a queue not declared yet, a broker away: keep the last reading
    }
}
