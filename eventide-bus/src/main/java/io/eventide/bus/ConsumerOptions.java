package io.eventide.bus;

import java.util.Objects;

/**
 * How a consumer takes messages: how many its handler works on at once (credit), how many may
 * wait for it (the bounded queue), and what happens past that bound.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>credit</td><td>{@value #DEFAULT_CREDIT}</td><td>handler promises pending at once; for a
 *       broker consumer also the prefetch / pull batch / paused-partition threshold</td></tr>
 *   <tr><td>capacity</td><td>{@value #DEFAULT_CAPACITY}</td><td>messages queued behind them (local bus)</td></tr>
 *   <tr><td>overflow</td><td>{@link Overflow#REJECT}</td><td>what a full queue does (local bus)</td></tr>
 *   <tr><td>group</td><td>null</td><td>broker consumer group / durable consumer name; null: derived
 *       from the address</td></tr>
 * </table>
 *
 * @param credit handler promises pending at once, at least 1
 * @param capacity messages queued behind them, at least 0
 * @param overflow what a full queue does
 * @param group broker consumer group or durable name, or null
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public record ConsumerOptions(int credit, int capacity, Overflow overflow, String group) {
    /** Default credit. */
    public static final int DEFAULT_CREDIT = 64;
    /** Default queue bound. */
    public static final int DEFAULT_CAPACITY = 1024;

    /** Validates the settings. */
    public ConsumerOptions {
        if (credit < 1) {
            throw new IllegalArgumentException("credit must be >= 1: " + credit);
        }
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0: " + capacity);
        }
        Objects.requireNonNull(overflow, "overflow");
    }

    /** @return the defaults */
    public static ConsumerOptions defaults() {
        return new ConsumerOptions(DEFAULT_CREDIT, DEFAULT_CAPACITY, Overflow.REJECT, null);
    }

    /** @param n handler promises pending at once @return a copy */
    public ConsumerOptions credit(int n) {
        return new ConsumerOptions(n, capacity, overflow, group);
    }

    /** @param n queue bound @return a copy */
    public ConsumerOptions capacity(int n) {
        return new ConsumerOptions(credit, n, overflow, group);
    }

    /** @param policy what a full queue does @return a copy */
    public ConsumerOptions overflow(Overflow policy) {
        return new ConsumerOptions(credit, capacity, policy, group);
    }

    /** @param name broker consumer group or durable name @return a copy */
    public ConsumerOptions group(String name) {
        return new ConsumerOptions(credit, capacity, overflow, name);
    }
}
