package io.eventide.lab.servers;

import io.eventide.demo.BenchApp;
import io.eventide.demo.Workload;
import io.eventide.core.Histogram;
import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import io.eventide.core.net.TcpOptions;
import io.eventide.http.HttpOptions;
import io.eventide.http.HttpServer;
import java.time.Duration;

/**
 * The standard workload on Eventide: the routes of {@link BenchApp}, the one copy also behind
 * {@code examples/Bench.java}, with the lab's backlog, idle timeout and control channel, plus the
 * lab's {@link BlockingRoutes} when the blocking workload asks for them. The control channel reads
 * the loops' lag and counts the connections.
 *
 * <p>Environment: {@code PORT}, {@code EVENTIDE_LOOPS} (default: one per available core).
 *
 * <p><b>Threading:</b> {@link #main} runs once; handlers run on the loops.
 */
public final class EventideServer {
    private EventideServer() {
    }

    /** @param args unused */
    public static void main(String[] args) {
        int port = Env.get("PORT", 8080);
        int loops = Env.get("EVENTIDE_LOOPS", Runtime.getRuntime().availableProcessors());
        LoopGroup group = LoopGroup.create(LoopOptions.builder().loops(loops).build());
        HttpServer app = HttpServer.create(group, HttpOptions.builder()
                .tcp(TcpOptions.defaults().backlog(Workload.BACKLOG))
                .headerTimeout(Duration.ofSeconds(10)).keepAliveTimeout(Duration.ofSeconds(Workload.IDLE_TIMEOUT_SECONDS))
                .build());
        BenchApp.routes(app);
        BlockingRoutes.install(app);
        ControlChannel.lag(() -> {
            for (int i = 0; i < group.size(); i++) {
                group.loop(i).lag().reset();
            }
        }, () -> lag(group));
        ControlChannel.connections(app::connections);
        app.listen("127.0.0.1", port).join(); // blocking-ok: main thread at startup
        ControlChannel.start("eventide-" + loops, app.port());
    }

    /** @return the worst loop's lag: the largest p99 and max over the loops, and the timer firings counted */
    static String lag(LoopGroup group) {
        long p99 = 0;
        long max = 0;
        long count = 0;
        for (int i = 0; i < group.size(); i++) {
            Histogram h = group.loop(i).lag();
            p99 = Math.max(p99, h.percentile(99));
            max = Math.max(max, h.max());
            count += h.count();
        }
        return "p99=" + p99 + " max=" + max + " count=" + count;
    }
}
