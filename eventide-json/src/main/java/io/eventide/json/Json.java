package io.eventide.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventide.core.Promise;
import io.eventide.http.HttpException;
import io.eventide.http.HttpRequest;
import io.eventide.http.HttpResponse;
import java.io.IOException;

/**
 * JSON in and out of Eventide HTTP through Jackson, kept out of eventide-core and eventide-http so
 * they stay dependency-free.
 *
 * <pre>{@code
 * app.get("/json", (req, res) -> Json.send(res, Map.of("message", "Hello, World!")));
 * app.post("/users", (req, res) -> Json.read(req, User.class).onSuccess(u -> Json.send(res, save(u))));
 * }</pre>
 *
 * <p>Serialising on the loop is fine for the small documents APIs exchange; offload documents of
 * megabytes with {@code loop.offload}.
 *
 * <p><b>Threading:</b> the shared {@link ObjectMapper} is thread-safe; {@link #send} and
 * {@link #read} are called on the request's loop like any response method.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** @return the shared mapper (configure it at startup, before serving) */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Ends {@code res} with {@code value} as {@code application/json}.
     *
     * @param res the response
     * @param value any Jackson-serialisable value
     */
    public static void send(HttpResponse res, Object value) {
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new HttpException(500, "response could not be serialised");
        }
        res.contentType("application/json").end(bytes);
    }

    /**
     * Reads the body as JSON; a malformed body fails with a 400 {@link HttpException}.
     *
     * @param <T> target type
     * @param req the request
     * @param type target class
     * @return the value
     */
    public static <T> Promise<T> read(HttpRequest req, Class<T> type) {
        return req.body().map(bytes -> {
            try {
                return MAPPER.readValue(bytes, type);
            } catch (IOException e) {
                throw new HttpException(400, "request body is not valid JSON for " + type.getSimpleName());
            }
        });
    }
}
