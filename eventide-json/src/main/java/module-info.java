/**
 * JSON for Eventide HTTP through Jackson, and the warm-up that sets Jackson up before the first
 * request.
 */
module io.eventide.json {
    requires transitive io.eventide.http;
    requires transitive com.fasterxml.jackson.databind;

    exports io.eventide.json;
    // Jackson reads the warm-up's sample record reflectively.
    opens io.eventide.json.internal to com.fasterxml.jackson.databind;

    provides io.eventide.http.spi.Warmup with io.eventide.json.internal.JsonWarmup;
}
