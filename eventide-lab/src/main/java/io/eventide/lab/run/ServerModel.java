package io.eventide.lab.run;

import io.eventide.lab.report.Results;
import io.eventide.lab.servers.EventideServer;
import io.eventide.lab.servers.HelidonServer;
import io.eventide.lab.servers.JettyServer;
import io.eventide.lab.servers.VertxServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A serving model the lab can start: which program, with which environment, and how it is
 * described in the report.
 *
 * <table>
 *   <caption>The catalogue</caption>
 *   <tr><th>id</th><th>server</th><th>style</th></tr>
 *   <tr><td>eventide-1</td><td>Eventide, one loop</td><td>event loop</td></tr>
 *   <tr><td>eventide-n</td><td>Eventide, N = max(2, server cores) loops</td><td>event loop</td></tr>
 *   <tr><td>vertx</td><td>Vert.x 5, one verticle per server core</td><td>event loop</td></tr>
 *   <tr><td>node</td><td>Node.js http (when node is installed)</td><td>event loop</td></tr>
 *   <tr><td>jetty</td><td>Jetty 12 servlets, 200 platform threads</td><td>platform threads</td></tr>
 *   <tr><td>helidon</td><td>Helidon 4 SE</td><td>virtual threads</td></tr>
 * </table>
 *
 * <p><b>Threading:</b> immutable value; any thread.
 *
 * @param id short id
 * @param label display name
 * @param style event loop, platform threads or virtual threads
 * @param description how it serves the workload
 * @param mainClass the Java main, or null for Node.js
 * @param env environment variables for the process
 * @param offload whether {@code /cpu?offload=1} runs on a separate worker pool
 */
public record ServerModel(String id, String label, String style, String description, String mainClass,
        Map<String, String> env, boolean offload) {

    /** Copies the environment. */
    public ServerModel {
        env = Map.copyOf(env);
    }

    /** @return whether it runs on node rather than a JVM */
    public boolean isNode() {
        return mainClass == null;
    }

    /** @return the model as the report describes it */
    public Results.Model describe() {
        return new Results.Model(id, label, style, description);
    }

    /**
     * @param serverCores CPUs the servers get
     * @param withNode whether node is available
     * @return every model, in report order
     */
    public static List<ServerModel> catalogue(int serverCores, boolean withNode) {
        int n = Math.max(2, serverCores);
        String e = EventideServer.class.getName();
        List<ServerModel> all = new ArrayList<>(List.of(
                new ServerModel("eventide-1", "Eventide, 1 loop", "event loop",
                        "One event loop thread; /delay is a loop timer; /cpu on the loop or offloaded to the "
                                + "worker pool.", e, Map.of("EVENTIDE_LOOPS", "1"), true),
                new ServerModel("eventide-n", "Eventide, " + n + " loops", "event loop",
                        n + " event loops" + (n > serverCores ? " on " + serverCores + " core(s): more loops than "
                                + "cores" : "") + "; connections dealt round-robin.",
                        e, Map.of("EVENTIDE_LOOPS", String.valueOf(n)), true),
                new ServerModel("vertx", "Vert.x 5, " + serverCores + " event loop(s)", "event loop",
                        "Vert.x core HTTP server, one verticle per core; /delay on a Vert.x timer; /cpu on the loop "
                                + "or executeBlocking.",
                        VertxServer.class.getName(), Map.of("VERTX_INSTANCES", String.valueOf(serverCores)), true),
                new ServerModel("jetty", "Jetty 12, " + JettyServer.THREADS + " platform threads",
                        "platform threads", "Servlets on a bounded QueuedThreadPool of " + JettyServer.THREADS
                                + " threads; /delay blocks its thread (Thread.sleep, as a JDBC call would); /cpu on "
                                + "the request thread.",
                        JettyServer.class.getName(), Map.of(), false),
                new ServerModel("helidon", "Helidon 4 SE, virtual threads", "virtual threads",
                        "A virtual thread per request, blocking style; /delay sleeps (the carrier moves on); /cpu "
                                + "on the virtual thread, which is not preempted.",
                        HelidonServer.class.getName(), Map.of(), false)));
        if (withNode) {
            all.add(3, new ServerModel("node", "Node.js http", "event loop",
                    "Node's http module, one process, one thread; /delay is setTimeout. Its /cpu uses BigInt "
                            + "(not comparable), so it sits out the CPU mix.",
                    null, Map.of(), false));
        }
        return all;
    }
}
