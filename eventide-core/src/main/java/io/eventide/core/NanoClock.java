package io.eventide.core;

/**
 * The monotonic time source of a {@link LoopGroup}'s loops: timers, loop lag and idle timeouts read
 * it (through {@link EventLoop#now()}), never the wall clock. The default is
 * {@link System#nanoTime()}; tests install a manual clock they advance by hand, so timer behaviour
 * (ordering, ties, intervals, idle limits) is checked without sleeping.
 *
 * <p>A clock that moves by hand must wake the loops when it moves (for example by
 * {@link EventLoop#execute} of an empty task): a loop sleeping in select waits for its next timer by
 * this clock's reading, so without a wakeup it would notice the new time only at its next event.
 *
 * <p><b>Threading:</b> any thread: implementations must be safe to read from every loop and from
 * the threads that schedule timers.
 */
@FunctionalInterface
public interface NanoClock {
    /** The system's monotonic clock. */
    NanoClock SYSTEM = System::nanoTime;

    /** @return the current time in nanoseconds, from an arbitrary origin; never goes backwards */
    long nanoTime();
}
