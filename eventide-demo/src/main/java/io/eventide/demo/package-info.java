/**
 * The live showcase, {@code ./eventide demo} ({@link io.eventide.demo.Demo}): a dashboard of the
 * server's own loop lag, requests/s, connections and heap over Server-Sent Events, chat rooms over
 * WebSocket, an upload streamed to disk with server-side progress, and the same CPU job run on the
 * loop and on a worker; and the standard workload ({@link io.eventide.demo.BenchApp},
 * {@link io.eventide.demo.Workload}) that {@code examples/Bench.java}, {@code bench/} and the lab
 * share. Not a library: apps need not depend on it.
 *
 * <p><b>Threading:</b> every handler runs on its request's loop; blocking work is offloaded.
 */
package io.eventide.demo;
