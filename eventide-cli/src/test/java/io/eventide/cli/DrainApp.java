package io.eventide.cli;

/** A hosted app for HostIT's SIGTERM test: /slow answers 300 ms after it arrived. */
public final class DrainApp {
    private DrainApp() {
    }

    public static void main(String[] args) {
        Host host = Host.create();
        host.http().get("/slow", (req, res) -> {
            System.out.println("arrived " + req.queryParam("i"));
            System.out.flush();
            req.loop().setTimeout(300, () -> res.end("done " + req.queryParam("i")));
        });
        host.start();
    }
}
