package io.eventide.core;

import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Node's {@code EventEmitter} with typed events: {@link #on}, {@link #once}, {@link #off},
 * {@link #emit}. Listeners run synchronously, in registration order, on the emitting thread.
 *
 * <pre>{@code
 * static final Event<String> MESSAGE = Event.of("message");
 * Emitter room = new Emitter();
 * room.on(MESSAGE, text -> broadcast(text));
 * room.emit(MESSAGE, "hi");
 * }</pre>
 *
 * <ul>
 *   <li>A listener that throws does not stop the others nor the loop: the exception is emitted as
 *       {@link Event#ERROR} (or reported if nobody listens for errors), and emission goes on.</li>
 *   <li>Emitting {@link Event#ERROR} with no error listener reports the error to the group's
 *       uncaught sink (or logs it), never drops it silently.</li>
 *   <li>Past {@link #maxListeners()} listeners for one event (default
 *       {@value #DEFAULT_MAX_LISTENERS}) a possible leak is warned about, once per event.</li>
 *   <li>Adding or removing listeners during an emit affects the next emit, not the current one.</li>
 * </ul>
 *
 * <p><b>Threading:</b> loop-confined: use an emitter from the one thread that owns it (usually a
 * loop); it has no locks.
 */
public final class Emitter {
    /** Listener count per event past which a leak warning is logged. */
    public static final int DEFAULT_MAX_LISTENERS = 10;

    private static final System.Logger LOG = System.getLogger("io.eventide.emitter");
    private final Map<String, Entry[]> listeners = new HashMap<>();
    private final Map<String, Boolean> warned = new HashMap<>();
    private int maxListeners = DEFAULT_MAX_LISTENERS;

    /** Creates an emitter with no listeners. */
    public Emitter() {
    }

    private record Entry(Consumer<Object> listener, boolean once, Object key) {
    }

    /**
     * @param <T> payload type
     * @param event the event
     * @param listener called with each payload
     * @return this emitter
     */
    public <T> Emitter on(Event<T> event, Consumer<? super T> listener) {
        return add(event, listener, false);
    }

    /**
     * @param <T> payload type
     * @param event the event
     * @param listener called with the next payload only
     * @return this emitter
     */
    public <T> Emitter once(Event<T> event, Consumer<? super T> listener) {
        return add(event, listener, true);
    }

    @SuppressWarnings("unchecked")
    private <T> Emitter add(Event<T> event, Consumer<? super T> listener, boolean once) {
        Objects.requireNonNull(listener, "listener");
        Entry e = new Entry((Consumer<Object>) listener, once, listener);
        Entry[] old = listeners.getOrDefault(event.name(), new Entry[0]);
        Entry[] now = Arrays.copyOf(old, old.length + 1);
        now[old.length] = e;
        listeners.put(event.name(), now);
        if (maxListeners > 0 && now.length > maxListeners && warned.putIfAbsent(event.name(), true) == null) {
            LOG.log(Level.WARNING, "Possible listener leak: " + now.length + " listeners for event '" + event.name()
                    + "' (max-listeners = " + maxListeners + "); raise it with maxListeners(n) if intended");
        }
        return this;
    }

    /**
     * Removes the first registration of {@code listener} (as given to {@link #on} or {@link #once}).
     *
     * @param <T> payload type
     * @param event the event
     * @param listener the listener
     * @return this emitter
     */
    public <T> Emitter off(Event<T> event, Consumer<? super T> listener) {
        Entry[] old = listeners.get(event.name());
        if (old == null) {
            return this;
        }
        for (int i = 0; i < old.length; i++) {
            if (old[i].key() == listener) {
                remove(event.name(), old, i);
                break;
            }
        }
        return this;
    }

    private void remove(String name, Entry[] old, int i) {
        if (old.length == 1) {
            listeners.remove(name);
            return;
        }
        Entry[] now = new Entry[old.length - 1];
        System.arraycopy(old, 0, now, 0, i);
        System.arraycopy(old, i + 1, now, i, old.length - i - 1);
        listeners.put(name, now);
    }

    /** @param event the event @return removes every listener of {@code event}; this emitter */
    public Emitter removeAll(Event<?> event) {
        listeners.remove(event.name());
        return this;
    }

    /**
     * Calls every listener of {@code event} with {@code payload}.
     *
     * @param <T> payload type
     * @param event the event
     * @param payload the payload
     * @return whether the event had listeners
     */
    public <T> boolean emit(Event<T> event, T payload) {
        Entry[] ls = listeners.get(event.name());
        if (ls == null) {
            if (event.name().equals(Event.ERROR.name())) {
                reportUnhandledError(payload);
            }
            return false;
        }
        for (Entry e : ls) {
            if (e.once()) {
                removeEntry(event.name(), e);
            }
            try {
                e.listener().accept(payload);
            } catch (Throwable t) {
                if (t instanceof VirtualMachineError vme) {
                    throw vme;
                }
                if (event.name().equals(Event.ERROR.name())) {
                    reportUnhandledError(t); // an error listener failing: do not loop
                } else {
                    emit(Event.ERROR, t);
                }
            }
        }
        return true;
    }

    private void removeEntry(String name, Entry e) {
        Entry[] now = listeners.get(name);
        for (int i = 0; now != null && i < now.length; i++) {
            if (now[i] == e) {
                remove(name, now, i);
                return;
            }
        }
    }

    private static void reportUnhandledError(Object payload) {
        Throwable t = payload instanceof Throwable th ? th : new EventideException("error event: " + payload);
        EventLoop loop = EventLoop.current();
        if (loop != null) {
            loop.reportUncaught(new EventideException("unhandled 'error' event", t));
        } else {
            LOG.log(Level.ERROR, "unhandled 'error' event", t);
        }
    }

    /** @param event the event @return number of listeners of {@code event} */
    public int listenerCount(Event<?> event) {
        Entry[] ls = listeners.get(event.name());
        return ls == null ? 0 : ls.length;
    }

    /** @return the leak-warning threshold, 0 meaning none */
    public int maxListeners() {
        return maxListeners;
    }

    /** @param n leak-warning threshold, 0 for none @return this emitter */
    public Emitter maxListeners(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("maxListeners must be >= 0: " + n);
        }
        this.maxListeners = n;
        return this;
    }
}
