package io.eventide.cli;

/** A hosted app for HostIT's SIGTERM test: /slow answers 300 ms after it arrived. */
public final class DrainApp {
    private DrainApp() {
    }

    public static void main(String[] args) {
        HostConfig c = HostConfig.load();
        // Admission control off: on a loaded machine a lagging loop would shed the very requests
        // this test counts on (they would get 503 and never arrive).
        Host host = Host.create(new HostConfig(c.port(), c.host(), c.loops(), c.grace(), c.http(),
                java.time.Duration.ofMinutes(10), Integer.MAX_VALUE, c.blockedThreshold(), c.source()));
        host.http().get("/slow", (req, res) -> {
            System.out.println("arrived " + req.queryParam("i"));
            System.out.flush();
            req.loop().setTimeout(300, () -> res.end("done " + req.queryParam("i")));
        });
        host.start();
    }
}
