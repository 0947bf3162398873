import io.eventide.Eventide;
import io.eventide.bus.Bus;
import io.eventide.bus.WorkQueue;
import io.eventide.bus.http.JobRoutes;
import io.eventide.bus.rabbitmq.RabbitOptions;
import io.eventide.bus.rabbitmq.RabbitTransport;
import io.eventide.http.HttpServer;
import java.time.Duration;

/**
 * Load levelling over RabbitMQ: `./eventide run examples/LoadLevelling.java` (RabbitMQ on
 * 127.0.0.1:5672, guest/guest), then
 *
 *   curl -i -X POST --data 'resize photo 42' http://127.0.0.1:8080/jobs   # 202 {"id":...,"status":...}
 *   curl -N http://127.0.0.1:8080/jobs/ID/events                           # queued, running, done (SSE)
 *
 * Jobs are enqueued durably (a quorum queue; the 202 comes after the broker's confirm); two workers
 * per process take them at their own pace (a 2 s job on a worker thread, the loop stays free);
 * past 100 waiting jobs the route answers 503 with Retry-After before reading the body. Run it
 * twice ($PORT=8081 for the second) and both processes share the queue and see every job's status.
 */
public class LoadLevelling {
    public static void main(String[] args) {
        HttpServer app = Eventide.http();
        Bus bus = Bus.create(app.group()).bridge("jobs", RabbitTransport.create(RabbitOptions.defaults()));
        WorkQueue jobs = WorkQueue.create(bus, "jobs.demo", 100, Duration.ofSeconds(5));
        JobRoutes.mount(app, "/jobs", jobs);
        jobs.work(app.group().next(), 2, payload -> app.group().next().offload(() -> {
            Thread.sleep(2_000); // the "work": blocking, so on a worker thread, never on the loop
            return payload.text().length();
        }));
        Eventide.start(app);
    }
}
