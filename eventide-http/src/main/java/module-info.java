/**
 * Eventide HTTP: the HTTP/1.1 server and client, router, static files, uploads, WebSocket, SSE,
 * topics. Exports the API and the SPI; the internals ({@code io.eventide.http.internal.*}) are not
 * exported (docs/design/http.md). Warm-ups are found with the {@link java.util.ServiceLoader}.
 */
module io.eventide.http {
    requires transitive io.eventide.core;
    requires jdk.jfr;

    exports io.eventide.http;
    exports io.eventide.http.blocking;
    exports io.eventide.http.client;
    exports io.eventide.http.spi;
    exports io.eventide.http.sse;
    exports io.eventide.http.topic;
    exports io.eventide.http.websocket;

    uses io.eventide.http.spi.Warmup;
}
