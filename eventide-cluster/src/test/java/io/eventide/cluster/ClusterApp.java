package io.eventide.cluster;

import io.eventide.cli.Host;
import io.eventide.cli.HostConfig;
import io.eventide.http.sse.Sse;
import io.eventide.http.websocket.WebSocketOptions;
import io.eventide.http.websocket.WebSockets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The hosted app the cluster tests run as workers: /pid answers the worker's pid, /grow keeps
 * memory, /ws echoes, /sse streams. It refuses to start while the file named by the system property
 * {@code cluster.test.fail} exists (a broken deploy).
 */
public final class ClusterApp {
    private static final List<byte[]> KEPT = new ArrayList<>();

    private ClusterApp() {
    }

    public static void main(String[] args) {
        String fail = System.getProperty("cluster.test.fail");
        if (fail != null && Files.exists(Path.of(fail))) {
            System.err.println("refusing to start: " + fail + " exists");
            System.exit(3);
        }
        // Admission control off: a loaded test machine must not shed the requests the tests count.
        Host host = Host.create(HostConfig.load(Map.of("admission.max-lag-ms", "600000",
                "admission.max-worker-queue", Integer.toString(Integer.MAX_VALUE), "shutdown-grace-ms", "15000")));
        String pid = Long.toString(ProcessHandle.current().pid());
        host.http().get("/pid", (req, res) -> res.contentType("text/plain").end(pid));
        host.http().post("/echo", (req, res) -> req.body().onSuccess(b -> res.contentType("text/plain").end(b)));
        host.http().get("/grow", (req, res) -> {
            int mb = Integer.parseInt(req.queryParam("mb"));
            for (int i = 0; i < mb; i++) {
                byte[] b = new byte[1 << 20];
                for (int j = 0; j < b.length; j += 4096) {
                    b[j] = 1; // touched: resident, not just reserved
                }
                KEPT.add(b);
            }
            res.end("kept " + KEPT.size() + " MiB in " + pid);
        });
        host.http().get("/ws", WebSockets.handler(WebSocketOptions.defaults(), ws -> ws.onText(t -> ws.sendText(pid + ":" + t))));
        host.http().get("/sse", (req, res) -> {
            Sse.start(req, res).send("hello", null, pid);
        });
        host.start();
    }
}
