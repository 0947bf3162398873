package io.eventide.bus.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.bus.Bus;
import io.eventide.bus.WorkQueue;
import io.eventide.bus.rabbitmq.RabbitOptions;
import io.eventide.bus.rabbitmq.RabbitTransport;
import io.eventide.bus.testing.BusTesting;
import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.Promise;
import io.eventide.http.HttpOptions;
import io.eventide.http.HttpServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The load-levelling pattern end to end over RabbitMQ: 202 with an id once durably enqueued, job
 * status over SSE, and 503 + Retry-After before the body is read once the backlog passes its bound.
 */
class JobRoutesIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private LoopGroup group;
    private RabbitTransport rabbit;
    private Bus bus;
    private HttpServer app;
    private WorkQueue jobs;
    private String queue;
    private final List<Promise<Void>> gates = new CopyOnWriteArrayList<>();
    private EventLoop workerLoop;

    @BeforeEach
    void setUp() {
        assertThat(BusTesting.listening(5672)).as("RabbitMQ on 127.0.0.1:5672").isTrue();
        group = BusTesting.group(2);
        rabbit = RabbitTransport.create(RabbitOptions.defaults());
        bus = Bus.create(group).bridge("", rabbit);
        queue = BusTesting.unique("eventide-test-jobs");
        jobs = WorkQueue.create(bus, queue, 3, Duration.ofSeconds(2));
        workerLoop = group.loop(1);
        jobs.work(workerLoop, 1, payload -> {
            Promise<Void> gate = workerLoop.promise();
            gates.add(gate);
            return gate;
        });
        app = HttpServer.create(group, HttpOptions.defaults());
        JobRoutes.mount(app, "/jobs", jobs);
        app.listen("127.0.0.1", 0).join();
        BusTesting.await("connected to RabbitMQ", 30, () -> !rabbit.isBlocked()); // until then every POST is refused
    }

    @AfterEach
    void tearDown() {
        for (Promise<Void> g : gates) {
            workerLoop.execute(() -> g.resolve(null));
        }
        app.close(Duration.ofSeconds(2)).join();
        rabbit.deleteQueue(queue);
        rabbit.deleteExchange(queue + ".status");
        bus.closeAsync().join();
        group.close(Duration.ofSeconds(5)).join();
        BusTesting.assertNoWatchdogReports(group);
    }

    private HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/jobs"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Posts until a 202: on a loaded machine RabbitMQ may refuse (nack) the first messages to a
     * quorum queue declared a moment ago, and the route then answers 503 + Retry-After, as it should.
     */
    private HttpResponse<String> acceptedAfterRetries(String body) {
        java.util.concurrent.atomic.AtomicReference<HttpResponse<String>> last = new java.util.concurrent.atomic.AtomicReference<>();
        BusTesting.await("a job accepted with 202", 30, () -> {
            try {
                last.set(post(body));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            assertThat(last.get().statusCode()).as(last.get().body()).isIn(202, 503);
            return last.get().statusCode() == 202;
        });
        return last.get();
    }

    @Test
    void acceptedJobAnswers202AndItsStatusStreamsOverSse() throws Exception {
        HttpResponse<String> r = acceptedAfterRetries("resize me");
        Matcher m = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(r.body());
        assertThat(m.find()).isTrue();
        String id = m.group(1);
        assertThat(r.headers().firstValue("location")).hasValue("/jobs/" + id);
        List<String> events = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                HttpResponse<InputStream> s = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.port() + "/jobs/" + id + "/events")).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                BufferedReader in = new BufferedReader(new InputStreamReader(s.body(), StandardCharsets.UTF_8));
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("event: ")) {
                        events.add(line.substring(7));
                    }
                }
            } catch (Exception e) {
                events.add("error " + e);
            }
        });
        BusTesting.await("the job running", 30, () -> events.contains("running"));
        workerLoop.execute(() -> gates.get(0).resolve(null));
        reader.join(Duration.ofSeconds(30));
        assertThat(events).containsSubsequence("running", "done");
        assertThat(events.get(events.size() - 1)).isEqualTo("done");
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/jobs/" + id)).build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains("\"state\":\"done\"");
    }

    @Test
    void pastTheBacklogBoundItAnswers503BeforeReadingTheBody() throws Exception {
        acceptedAfterRetries("first");
        // One job runs (credit 1, never finished); the rest wait at the broker until the bound of 3.
        BusTesting.await("the backlog at its bound", 60, () -> {
            try {
                post("job");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return jobs.isFull() && jobs.backlog() >= 3;
        });
        HttpResponse<String> refused = post("one more");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("retry-after")).hasValue("2");
        // A client announcing 100 MB and sending none of it still gets its 503: the body is never read.
        try (Socket s = new Socket("127.0.0.1", app.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertThat(status).isEqualTo("HTTP/1.1 503 Service Unavailable");
        }
        assertThat(jobs.backlog()).isGreaterThanOrEqualTo(3);
    }
}
