package io.eventide.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The eventual result of asynchronous work, owned by one {@link EventLoop}. Settled once, with a
 * value or a failure, from any thread; its reactions always run on the owning loop, from the
 * microtask queue, after the callback that settled it returns (never in the settler's stack, as in
 * JavaScript). That queue is drained iteratively, so a chain of a million steps needs no more stack
 * than a chain of one.
 *
 * <pre>{@code
 * loop.offload(() -> Files.readString(path))        // worker thread
 *     .map(String::length)                            // back on the loop
 *     .timeout(Duration.ofSeconds(2))
 *     .whenComplete((len, err) -> reply(len, err));
 * }</pre>
 *
 * <p>A promise rejected with no reaction attached by the time the microtask queue drains is
 * reported to the group's {@code onUnhandledRejection} sink (Node's {@code unhandledRejection}).
 *
 * <p><b>Threading:</b> any thread. Settling ({@link #resolve}, {@link #reject}) is a CAS; attaching
 * a reaction off the loop hops to the loop with {@link EventLoop#execute}; reactions run on the
 * owning loop. {@link #join()} blocks and therefore throws {@link IllegalStateException} on a loop
 * thread.
 *
 * @param <T> the value type
 */
public final class Promise<T> {
    private static final int PENDING = 0;
    private static final int SETTLING = 1;
    private static final int SUCCEEDED = 2;
    private static final int FAILED = 3;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Promise.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EventLoop loop;
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;
    private T value;
    private Throwable cause;
    // Loop-confined: a single Consumer, or an ArrayList of them once a second one is added.
    private Object listeners;
    // Written by any thread that attaches a reaction (before it hops to the loop), read on the loop
    // when deciding whether a rejection is unhandled: volatile closes the join()-from-elsewhere race.
    private volatile boolean handled;

    Promise(EventLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /**
     * @param <T> value type
     * @param loop owning loop
     * @param value the value
     * @return a promise already resolved with {@code value}
     */
    public static <T> Promise<T> resolved(EventLoop loop, T value) {
        Promise<T> p = new Promise<>(loop);
        p.resolve(value);
        return p;
    }

    /**
     * @param <T> value type
     * @param loop owning loop
     * @param cause the failure
     * @return a promise already rejected with {@code cause}
     */
    public static <T> Promise<T> failed(EventLoop loop, Throwable cause) {
        Promise<T> p = new Promise<>(loop);
        p.reject(cause);
        return p;
    }

    /**
     * Bridges a {@link CompletionStage} (e.g. from a JDK API) into a promise owned by {@code loop}.
     *
     * @param <T> value type
     * @param loop owning loop
     * @param stage the stage
     * @return a promise settled like {@code stage}, on {@code loop}
     */
    public static <T> Promise<T> from(EventLoop loop, CompletionStage<? extends T> stage) {
        Promise<T> p = new Promise<>(loop);
        stage.whenComplete((v, e) -> {
            if (e != null) {
                p.reject(unwrap(e));
            } else {
                p.resolve(v);
            }
        });
        return p;
    }

    /** @return the loop this promise belongs to and whose thread runs its reactions */
    public EventLoop loop() {
        return loop;
    }

    // ------------------------------------------------------------------------------------------
    // Settling

    /**
     * Resolves with {@code v} unless already settled.
     *
     * @param v the value (may be null)
     * @return whether this call settled the promise
     */
    public boolean resolve(T v) {
        if (!STATE.compareAndSet(this, PENDING, SETTLING)) {
            return false;
        }
        value = v;
        STATE.setVolatile(this, SUCCEEDED);
        notifyListeners();
        return true;
    }

    /**
     * Rejects with {@code t} unless already settled.
     *
     * @param t the failure
     * @return whether this call settled the promise
     */
    public boolean reject(Throwable t) {
        Objects.requireNonNull(t, "t");
        if (!STATE.compareAndSet(this, PENDING, SETTLING)) {
            return false;
        }
        cause = t;
        STATE.setVolatile(this, FAILED);
        notifyListeners();
        return true;
    }

    private void notifyListeners() {
        if (!loop.inLoop()) {
            loop.execute(this::notifyListeners);
            return;
        }
        Object ls = listeners;
        listeners = null;
        if (stateNow() == FAILED && !handled) {
            // Nobody handles it, even if onSuccess listens (issue 9, defect 9; Node's unhandledRejection).
            loop.trackRejection(this);
        }
        if (ls == null) {
            return;
        }
        if (ls instanceof ArrayList<?> list) {
            for (Object l : list) {
                schedule(l);
            }
        } else {
            schedule(ls);
        }
    }

    @SuppressWarnings("unchecked")
    private void schedule(Object listener) {
        Consumer<Promise<T>> l = (Consumer<Promise<T>>) listener;
        loop.queueMicrotask(() -> l.accept(this));
    }

    private int stateNow() {
        return (int) STATE.getVolatile(this);
    }

    /**
     * Adds a reaction. On the loop: immediate if settled (as a microtask), else kept. Off the loop:
     * hops to the loop first.
     */
    private void listen(Consumer<Promise<T>> l) {
        listen(l, true);
    }

    /** @param handles whether this reaction handles a rejection ({@link #onSuccess} does not) */
    private void listen(Consumer<Promise<T>> l, boolean handles) {
        if (handles) {
            handled = true;
        }
        if (!loop.inLoop()) {
            loop.execute(() -> listen(l, handles));
            return;
        }
        int s = stateNow();
        if (s == SUCCEEDED || s == FAILED) {
            loop.queueMicrotask(() -> l.accept(this));
        } else if (listeners == null) {
            listeners = l;
        } else if (listeners instanceof ArrayList<?> list) {
            @SuppressWarnings("unchecked")
            ArrayList<Object> objs = (ArrayList<Object>) list;
            objs.add(l);
        } else {
            ArrayList<Object> list = new ArrayList<>(4);
            list.add(listeners);
            list.add(l);
            listeners = list;
        }
    }

    boolean handled() {
        return handled;
    }

    // ------------------------------------------------------------------------------------------
    // State

    /** @return whether settled (value or failure) */
    public boolean isDone() {
        int s = stateNow();
        return s == SUCCEEDED || s == FAILED;
    }

    /** @return whether resolved with a value */
    public boolean isSuccess() {
        return stateNow() == SUCCEEDED;
    }

    /** @return whether rejected */
    public boolean isFailed() {
        return stateNow() == FAILED;
    }

    /** @return the value if resolved, else null */
    public T result() {
        return stateNow() == SUCCEEDED ? value : null;
    }

    /** @return the failure if rejected, else null */
    public Throwable cause() {
        return stateNow() == FAILED ? cause : null;
    }

    // ------------------------------------------------------------------------------------------
    // Composition

    /**
     * @param <R> mapped type
     * @param fn applied to the value on the loop; if it throws, the result is rejected with that
     * @return a promise of the mapped value; failures pass through
     */
    public <R> Promise<R> map(Function<? super T, ? extends R> fn) {
        Promise<R> next = new Promise<>(loop);
        listen(p -> {
            if (p.stateNow() == FAILED) {
                next.reject(p.cause);
                return;
            }
            R r;
            try {
                r = fn.apply(p.value);
            } catch (Throwable t) {
                rethrowFatal(t);
                next.reject(t);
                return;
            }
            next.resolve(r);
        });
        return next;
    }

    /**
     * @param <R> result type
     * @param fn returns the next asynchronous step (a promise of any loop)
     * @return a promise settled like the one {@code fn} returns; failures pass through
     */
    public <R> Promise<R> flatMap(Function<? super T, ? extends Promise<R>> fn) {
        Promise<R> next = new Promise<>(loop);
        listen(p -> {
            if (p.stateNow() == FAILED) {
                next.reject(p.cause);
                return;
            }
            try {
                Promise<R> inner = fn.apply(p.value);
                inner.listen(next::settleLike);
            } catch (Throwable t) {
                rethrowFatal(t);
                next.reject(t);
            }
        });
        return next;
    }

    /**
     * Runs {@code action} with the value, then settles like this promise (or with what
     * {@code action} threw).
     *
     * @param action side effect on the value, on the loop
     * @return a promise of the same value
     */
    public Promise<T> then(Consumer<? super T> action) {
        return map(v -> {
            action.accept(v);
            return v;
        });
    }

    /**
     * @param fn turns a failure into a value, on the loop
     * @return a promise of the value, or of {@code fn}'s result on failure
     */
    public Promise<T> recover(Function<? super Throwable, ? extends T> fn) {
        return recoverWith(t -> resolved(loop, fn.apply(t)));
    }

    /**
     * @param fn turns a failure into the next asynchronous step
     * @return a promise of the value, or settled like {@code fn}'s promise on failure
     */
    public Promise<T> recoverWith(Function<? super Throwable, ? extends Promise<T>> fn) {
        Promise<T> next = new Promise<>(loop);
        listen(p -> {
            if (p.stateNow() == SUCCEEDED) {
                next.resolve(p.value);
                return;
            }
            try {
                Promise<T> inner = fn.apply(p.cause);
                inner.listen(next::settleLike);
            } catch (Throwable t) {
                rethrowFatal(t);
                next.reject(t);
            }
        });
        return next;
    }

    /**
     * Observes the outcome (a terminal step is fine: a failure seen here is not reported as an
     * unhandled rejection again). If {@code action} throws, the returned promise is rejected with
     * that, and that new failure is reported if nobody handles it.
     *
     * @param action receives (value, null) or (null, failure), on the loop
     * @return a promise settled like this one once {@code action} ran
     */
    public Promise<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
        Promise<T> next = new Promise<>(loop);
        listen(p -> {
            try {
                action.accept(p.result(), p.cause());
            } catch (Throwable t) {
                rethrowFatal(t);
                next.reject(t);
                return;
            }
            // The action saw the failure: passing it on must not count as unhandled a second time.
            next.handled = true;
            next.settleLike(p);
        });
        return next;
    }

    /**
     * Observes the value only: a rejection seen by nothing but {@code onSuccess} is still reported
     * as unhandled (as {@code p.then(f)} leaves it in Node); add {@link #onFailure} or use
     * {@link #whenComplete} to handle it.
     *
     * @param action receives the value on the loop
     * @return this promise, for chaining listeners on it
     */
    public Promise<T> onSuccess(Consumer<? super T> action) {
        listen(p -> {
            if (p.stateNow() == SUCCEEDED) {
                action.accept(p.value);
            }
        }, false);
        return this;
    }

    /**
     * Attaching this marks a rejection as handled.
     *
     * @param action receives the failure on the loop
     * @return this promise, for chaining listeners on it
     */
    public Promise<T> onFailure(Consumer<? super Throwable> action) {
        listen(p -> {
            if (p.stateNow() == FAILED) {
                action.accept(p.cause);
            }
        });
        return this;
    }

    /**
     * @param limit how long to wait
     * @return a promise settled like this one, or rejected with {@link DeadlineExceededException}
     *     if this one is not settled within {@code limit}
     */
    public Promise<T> timeout(Duration limit) {
        Promise<T> next = new Promise<>(loop);
        Timer timer = loop.setTimeout(limit, () -> next.reject(
                new DeadlineExceededException("promise not settled within " + limit.toMillis() + " ms")));
        listen(p -> {
            timer.cancel();
            next.settleLike(p);
        });
        return next;
    }

    private void settleLike(Promise<? extends T> p) {
        if (p.stateNow() == SUCCEEDED) {
            resolve(p.value);
        } else {
            reject(p.cause);
        }
    }

    /**
     * @return a {@link CompletableFuture} settled like this promise (completed on the loop thread)
     */
    public CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> f = new CompletableFuture<>();
        listen(p -> {
            if (p.stateNow() == SUCCEEDED) {
                f.complete(p.value);
            } else {
                f.completeExceptionally(p.cause);
            }
        });
        return f;
    }

    /**
     * Waits for the value. Worker or foreign threads only: blocking a loop would deadlock it.
     *
     * @return the value
     * @throws IllegalStateException on a loop thread
     * @throws EventideException wrapping a checked failure; unchecked failures are rethrown as is
     */
    public T join() {
        return join(Duration.ofDays(365));
    }

    /**
     * @param limit how long to wait at most
     * @return the value
     * @throws DeadlineExceededException if not settled within {@code limit}
     * @see #join()
     */
    public T join(Duration limit) {
        if (EventLoop.current() != null) {
            throw new IllegalStateException("join() would block loop " + Thread.currentThread().getName()
                    + "; use map/flatMap/whenComplete instead");
        }
        int s = stateNow();
        if (s == SUCCEEDED) {
            return value; // settled: no hop to the loop, which may have stopped since (a drained server's group)
        }
        if (s == FAILED) {
            handled = true;
            throw failure(cause);
        }
        try {
            return toCompletableFuture().get(limit.toNanos(), TimeUnit.NANOSECONDS); // blocking-ok: refused on loops above
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventideException("interrupted while joining a promise", e);
        } catch (TimeoutException e) {
            throw new DeadlineExceededException("promise not settled within " + limit.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
    }

    /** What {@link #join} throws for a failure: unchecked ones as they are, checked ones wrapped. */
    private static RuntimeException failure(Throwable c) {
        if (c instanceof RuntimeException re) {
            return re;
        }
        if (c instanceof Error err) {
            throw err;
        }
        return new EventideException(c.toString(), c);
    }

    // ------------------------------------------------------------------------------------------
    // Combinators

    /**
     * @param <T> value type
     * @param loop owning loop of the result
     * @param promises promises of any loops
     * @return the values in order once all resolved; the first failure otherwise
     */
    public static <T> Promise<List<T>> all(EventLoop loop, List<? extends Promise<? extends T>> promises) {
        Promise<List<T>> result = new Promise<>(loop);
        int n = promises.size();
        if (n == 0) {
            result.resolve(List.of());
            return result;
        }
        @SuppressWarnings("unchecked")
        T[] values = (T[]) new Object[n];
        int[] remaining = {n};
        for (int i = 0; i < n; i++) {
            int idx = i;
            Promise<? extends T> p = promises.get(i);
            // Reactions run on p's loop; hop to 'loop' so 'values' and 'remaining' stay confined.
            p.whenCompleteOn(loop, (v, e) -> {
                if (e != null) {
                    result.reject(e);
                } else {
                    values[idx] = v;
                    if (--remaining[0] == 0) {
                        result.resolve(Arrays.asList(values));
                    }
                }
            });
        }
        return result;
    }

    /**
     * @param <T> value type
     * @param loop owning loop of the result
     * @param promises promises of any loops
     * @return the first value; rejected with all failures (suppressed) if every one fails
     */
    public static <T> Promise<T> any(EventLoop loop, List<? extends Promise<? extends T>> promises) {
        Promise<T> result = new Promise<>(loop);
        if (promises.isEmpty()) {
            result.reject(new EventideException("any() of no promises"));
            return result;
        }
        EventideException all = new EventideException("all " + promises.size() + " promises were rejected");
        int[] remaining = {promises.size()};
        for (Promise<? extends T> p : promises) {
            p.whenCompleteOn(loop, (v, e) -> {
                if (e == null) {
                    result.resolve(v);
                } else {
                    all.addSuppressed(e);
                    if (--remaining[0] == 0) {
                        result.reject(all);
                    }
                }
            });
        }
        return result;
    }

    /**
     * @param <T> value type
     * @param loop owning loop of the result
     * @param promises promises of any loops
     * @return settled like the first of {@code promises} to settle
     */
    public static <T> Promise<T> race(EventLoop loop, List<? extends Promise<? extends T>> promises) {
        Promise<T> result = new Promise<>(loop);
        for (Promise<? extends T> p : promises) {
            p.whenCompleteOn(loop, (v, e) -> {
                if (e == null) {
                    result.resolve(v);
                } else {
                    result.reject(e);
                }
            });
        }
        return result;
    }

    private void whenCompleteOn(EventLoop target, BiConsumer<? super T, ? super Throwable> action) {
        listen(p -> {
            T v = p.result();
            Throwable e = p.cause();
            if (target.inLoop()) {
                action.accept(v, e);
            } else {
                target.execute(() -> action.accept(v, e));
            }
        });
    }

    private static void rethrowFatal(Throwable t) {
        if (t instanceof VirtualMachineError vme) {
            throw vme;
        }
    }

    private static Throwable unwrap(Throwable e) {
        if (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
            return e.getCause();
        }
        return e;
    }

    @Override
    public String toString() {
        return switch (stateNow()) {
            case SUCCEEDED -> "Promise[resolved: " + value + "]";
            case FAILED -> "Promise[rejected: " + cause + "]";
            default -> "Promise[pending]";
        };
    }
}
