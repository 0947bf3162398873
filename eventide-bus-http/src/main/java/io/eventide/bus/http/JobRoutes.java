package io.eventide.bus.http;

import io.eventide.bus.JobStatus;
import io.eventide.bus.Message;
import io.eventide.bus.WorkQueue;
import io.eventide.core.OverloadException;
import io.eventide.http.HttpRequest;
import io.eventide.http.HttpResponse;
import io.eventide.http.HttpServer;
import io.eventide.http.sse.Sse;
import io.eventide.http.sse.SseStream;
import java.util.Objects;

/**
 * The load-levelling routes over a {@link WorkQueue}:
 *
 * <table>
 *   <caption>Routes under {@code path}</caption>
 *   <tr><th>route</th><th>answer</th></tr>
 *   <tr><td>{@code POST path}</td><td>503 + {@code Retry-After} when the backlog is past its bound,
 *       decided before the body is read; else 202 {@code {"id":..,"status":"path/id"}} once the body is
 *       durably enqueued (the broker confirmed it); 503 when the broker refuses it for now</td></tr>
 *   <tr><td>{@code GET path/:id}</td><td>the job's last status as JSON, or 404</td></tr>
 *   <tr><td>{@code GET path/:id/events}</td><td>Server-Sent Events: each status ({@code queued},
 *       {@code running}, {@code done}/{@code failed}), then the stream ends</td></tr>
 * </table>
 *
 * <pre>{@code
 * WorkQueue jobs = WorkQueue.create(bus, "jobs.thumbnails", 10_000, Duration.ofSeconds(5));
 * JobRoutes.mount(app, "/jobs", jobs);
 * jobs.work(loop, 4, payload -> thumbnail(payload.body()));       // on every worker instance
 * }</pre>
 *
 * <p><b>Threading:</b> {@link #mount} at startup; the routes run on each request's loop.
 */
public final class JobRoutes {
    private static final System.Logger LOG = System.getLogger("io.eventide.bus.http");

    private JobRoutes() {
    }

    /**
     * @param app the server
     * @param path e.g. {@code "/jobs"}
     * @param queue the queue jobs go to
     */
    public static void mount(HttpServer app, String path, WorkQueue queue) {
        Objects.requireNonNull(queue, "queue");
        app.post(path, (req, res) -> accept(req, res, path, queue));
        app.get(path + "/:id", (req, res) -> {
            JobStatus s = queue.status(req.param("id"));
            if (s == null) {
                res.status(404).contentType("application/json").end("{\"error\":\"unknown job\"}");
            } else {
                res.contentType("application/json").end(s.toJson());
            }
        });
        app.get(path + "/:id/events", (req, res) -> events(req, res, queue));
    }

    private static void accept(HttpRequest req, HttpResponse res, String path, WorkQueue queue) {
        if (queue.isFull()) {
            refuse(res, queue, "the queue is full (" + queue.backlog() + " jobs waiting)");
            return; // the body is never read
        }
        String type = req.header("content-type");
        req.body().flatMap(body -> {
            Message m = Message.of(body);
            return queue.enqueue(type == null ? m : m.header(Message.CONTENT_TYPE, type));
        }).whenComplete((id, err) -> {
            if (res.isClosed()) {
                return;
            }
            if (err == null) {
                res.status(202).header("location", path + "/" + id).contentType("application/json")
                        .end("{\"id\":\"" + id + "\",\"status\":\"" + path + "/" + id + "/events\"}");
            } else if (err instanceof OverloadException) {
                refuse(res, queue, "the broker cannot take more work now");
            } else {
                LOG.log(System.Logger.Level.WARNING, "job for " + queue.address() + " not enqueued: " + err, err);
                res.status(503).header("retry-after", seconds(queue)).contentType("application/json")
                        .end("{\"error\":\"the job could not be enqueued\"}");
            }
        });
    }

    private static void refuse(HttpResponse res, WorkQueue queue, String why) {
        res.status(503).header("retry-after", seconds(queue)).header("connection", "close")
                .contentType("application/json").end("{\"error\":\"" + why + "\"}");
    }

    private static String seconds(WorkQueue queue) {
        return Long.toString(Math.max(1, queue.retryAfter().toSeconds()));
    }

    private static void events(HttpRequest req, HttpResponse res, WorkQueue queue) {
        SseStream sse = Sse.start(req, res);
        Runnable stop = queue.watch(req.param("id"), s -> sse.loop().execute(() -> {
            if (sse.isOpen()) {
                sse.send(s.state().name().toLowerCase(java.util.Locale.ROOT), null, s.toJson());
                if (s.state().isFinal()) {
                    sse.close();
                }
            }
        }));
        sse.onClose(stop);
    }
}
