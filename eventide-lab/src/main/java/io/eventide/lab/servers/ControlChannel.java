package io.eventide.lab.servers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The lab's side channel into a server process: the orchestrator writes a command line to the
 * server's standard input and reads one answer line from its standard output.
 *
 * <pre>
 *  orchestrator                 server (this class, one daemon thread)
 *     "stats\n"      ------&gt;    full GC, then reads the heap and thread counts
 *                    &lt;------    "LAB STATS heapUsed=123 heapCommitted=456 threads=17"
 *     "lag reset\n"  ------&gt;    forgets the loop lag seen so far
 *                    &lt;------    "LAB LAG reset"
 *     "lag\n"        ------&gt;    reads the loop lag since the reset
 *                    &lt;------    "LAB LAG p99=1200000 max=20500000 count=310" (ns), or "LAB LAG none"
 *     "connections\n" ------&gt;  counts the open client connections
 *                    &lt;------    "LAB CONNECTIONS n=3", or "LAB CONNECTIONS none"
 *     EOF            ------&gt;    the orchestrator went away: exit
 * </pre>
 *
 * <p>Loop lag is known only to servers that register it ({@link #lag}: Eventide's); others answer
 * {@code LAG none}.
 *
 * <p>The channel is open only when {@value #ENV} is {@code 1}, as the orchestrator sets it: a server
 * started by hand keeps its standard input to itself.
 *
 * <p>The heap is read after {@link System#gc()} so that it counts what the connections keep alive,
 * not garbage the collector has not reached yet. Node.js speaks the same protocol from its script.
 *
 * <p><b>Threading:</b> {@link #start} is called once from {@code main}; commands are served on the
 * channel's own daemon thread.
 */
public final class ControlChannel {
    /** Prefix of every line the orchestrator reads. */
    public static final String PREFIX = "LAB ";
    /** Environment variable the orchestrator sets to {@code 1} to open the channel. */
    public static final String ENV = "LAB_CONTROL";

    private static volatile Runnable lagReset;
    private static volatile Supplier<String> lagRead;
    private static volatile IntSupplier connections;

    private ControlChannel() {
    }

    /**
     * Makes the server's loop lag readable through the channel; call before {@link #start}.
     *
     * @param reset forgets the lag seen so far
     * @param read the lag since then, as {@code p99=NS max=NS count=N}
     */
    public static void lag(Runnable reset, Supplier<String> read) {
        lagReset = reset;
        lagRead = read;
    }

    /**
     * Makes the server's open connections countable through the channel; call before {@link #start}.
     *
     * @param open counts them
     */
    public static void connections(IntSupplier open) {
        connections = open;
    }

    /**
     * Prints the ready line and starts serving commands.
     *
     * @param model the model's name, for the log
     * @param port the port the server listens on
     */
    public static void start(String model, int port) {
        if ("1".equals(System.getenv(ENV))) {
            Thread t = new Thread(ControlChannel::serve, "lab-control");
            t.setDaemon(true);
            t.start();
        }
        say("READY model=" + model + " port=" + port + " pid=" + ProcessHandle.current().pid() + " cpus="
                + Runtime.getRuntime().availableProcessors() + " java=" + Runtime.version());
    }

    private static void serve() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.trim();
                if (command.equals("stats")) {
                    say(stats());
                } else if (command.equals("lag reset")) {
                    Runnable reset = lagReset;
                    if (reset != null) {
                        reset.run();
                    }
                    say(reset != null ? "LAG reset" : "LAG none");
                } else if (command.equals("connections")) {
                    IntSupplier open = connections;
                    say(open != null ? "CONNECTIONS n=" + open.getAsInt() : "CONNECTIONS none");
                } else if (command.equals("lag")) {
                    Supplier<String> read = lagRead;
                    say(read != null ? "LAG " + read.get() : "LAG none");
                }
            }
        } catch (IOException e) {
            // The pipe broke: the orchestrator is gone, and so should we be (below).
        }
        // Standard input closed: the orchestrator died without stopping us. Never outlive it.
        Runtime.getRuntime().halt(0);
    }

    /** @return the stats line, after a full collection */
    static String stats() {
        System.gc();
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        return "STATS heapUsed=" + heap.getUsed() + " heapCommitted=" + heap.getCommitted() + " threads=" + threads;
    }

    private static void say(String line) {
        synchronized (System.out) {
            System.out.println(PREFIX + line);
            System.out.flush();
        }
    }
}
