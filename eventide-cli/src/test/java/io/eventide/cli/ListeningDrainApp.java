package io.eventide.cli;

import io.eventide.Eventide;
import io.eventide.http.HttpServer;

/**
 * HostIT's SIGTERM test with the other front door: {@code Eventide.http()} and the app's own
 * {@code listen}, which used to skip the drain (issue 18). /slow answers 300 ms after it arrived.
 */
public final class ListeningDrainApp {
    private ListeningDrainApp() {
    }

    public static void main(String[] args) {
        HttpServer app = Eventide.http();
        app.get("/slow", (req, res) -> {
            System.out.println("arrived " + req.queryParam("i"));
            System.out.flush();
            req.loop().setTimeout(300, () -> res.end("done " + req.queryParam("i")));
        });
        app.listen("127.0.0.1", 0);
    }
}
