package io.eventide.json.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.eventide.http.spi.Warmup;
import io.eventide.json.Json;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Sets Jackson up before the first request: the mapper's serializer and deserializer factories,
 * and the code paths of maps and records, so the first {@code /json} does not hold a loop for
 * about 100 ms (issue 9, defect 10). The application's own types are still introspected on their
 * first use, which costs far less.
 *
 * <p><b>Threading:</b> run by {@code Warmups}, never on a loop.
 */
public final class JsonWarmup implements Warmup {
    /** A record, the shape most JSON APIs return. */
    private record Sample(String message, int count) {
    }

    /** Called by {@link java.util.ServiceLoader}. */
    public JsonWarmup() {
    }

    @Override
    public void warmUp() {
        try {
            byte[] map = Json.mapper().writeValueAsBytes(Map.of("message", "Hello, World!"));
            byte[] rec = Json.mapper().writeValueAsBytes(new Sample("Hello, World!", 1));
            Json.mapper().readValue(map, Map.class);
            Json.mapper().readValue(rec, Sample.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
