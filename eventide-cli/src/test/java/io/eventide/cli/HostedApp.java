package io.eventide.cli;

import io.eventide.Eventide;
import io.eventide.http.HttpServer;

/** The README's two-line hosted app, for StartupFailureIT. */
public final class HostedApp {
    private HostedApp() {
    }

    public static void main(String[] args) {
        HttpServer app = Eventide.http();
        app.get("/", (req, res) -> res.end("hello"));
        Eventide.start(app);
    }
}
