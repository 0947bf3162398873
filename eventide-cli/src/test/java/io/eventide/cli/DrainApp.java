package io.eventide.cli;

/** A hosted app for HostIT's SIGTERM test: /slow answers 300 ms after it arrived. */
public final class DrainApp {
    private DrainApp() {
    }

    public static void main(String[] args) {
        // Admission control off: on a loaded machine a lagging loop would shed the very requests
        // this test counts on (they would get 503 and never arrive).
        Host host = Host.create(HostConfig.load(java.util.Map.of("admission.max-lag-ms", "600000",
                "admission.max-worker-queue", Integer.toString(Integer.MAX_VALUE))));
        host.http().get("/slow", (req, res) -> {
            System.out.println("arrived " + req.queryParam("i"));
            System.out.flush();
            req.loop().setTimeout(300, () -> res.end("done " + req.queryParam("i")));
        });
        host.start();
    }
}
