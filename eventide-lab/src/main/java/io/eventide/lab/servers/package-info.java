/**
 * The serving models: one {@code main} per server, each serving the standard workload of
 * {@code examples/Bench.java} ({@code /plaintext}, {@code /json}, {@code /echo}, {@code /delay?ms=N},
 * {@code /cpu?n=N[&offload=1]}) on {@code $PORT}, written the way that server's users write
 * handlers: callbacks and timers on the event-driven servers, plain blocking code on the
 * thread-based ones.
 *
 * <p>Every main also answers the lab's control channel on standard input ({@link
 * io.eventide.lab.servers.ControlChannel}), so the orchestrator can read the heap after a full GC.
 */
package io.eventide.lab.servers;
