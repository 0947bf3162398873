package io.eventide.bus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What travels on the bus: a body of bytes and a few text headers. A JSON message is bytes too,
 * marked with the header {@code content-type: application/json}; it is encoded once by the sender
 * and decoded by each receiver that asks ({@link #json(Class)}).
 *
 * <pre>{@code
 * Message.of("hello")                                    // UTF-8 text
 * Message.json(new Order(42, "book")).header("tenant", "acme")
 * delivery.message().json(Order.class)                   // decoded on the receiver's loop
 * }</pre>
 *
 * <p>Messages are immutable: {@link #header} returns a copy, and the body handed to {@link #of(byte[])}
 * is copied, so one message may be delivered to many loops at once. {@link #body()} returns the
 * shared array: do not modify it.
 *
 * <table>
 *   <caption>Headers with a meaning</caption>
 *   <tr><th>header</th><th>meaning</th></tr>
 *   <tr><td>{@value #CONTENT_TYPE}</td><td>the body's media type; {@value #JSON} for {@link #json(Object)}</td></tr>
 *   <tr><td>{@value #MESSAGE_ID}</td><td>set by bridges on send when absent; brokers dedupe on it where
 *       they can (NATS {@code Nats-Msg-Id}, RabbitMQ {@code message-id})</td></tr>
 * </table>
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public final class Message {
    /** Header naming the body's media type. */
    public static final String CONTENT_TYPE = "content-type";
    /** Header carrying a message's unique id (set by bridges when absent). */
    public static final String MESSAGE_ID = "message-id";
    /** The media type of JSON bodies. */
    public static final String JSON = "application/json";
    private static final byte[] EMPTY = new byte[0];

    private final Map<String, String> headers;
    private final byte[] body;

    private Message(Map<String, String> headers, byte[] body) {
        this.headers = headers;
        this.body = body;
    }

    /**
     * @param body the bytes, copied
     * @return a message with no headers
     */
    public static Message of(byte[] body) {
        return new Message(Map.of(), Arrays.copyOf(body, body.length));
    }

    /**
     * @param text UTF-8 text
     * @return a message with no headers
     */
    public static Message of(String text) {
        return new Message(Map.of(), text.getBytes(StandardCharsets.UTF_8));
    }

    /** @return a message with no body and no headers */
    public static Message empty() {
        return new Message(Map.of(), EMPTY);
    }

    /**
     * Takes {@code body} without copying it; for bridges that just received it from a broker client.
     *
     * @param headers the headers, copied
     * @param body the bytes, owned by the message from now on
     * @return the message
     */
    public static Message wrap(Map<String, String> headers, byte[] body) {
        Objects.requireNonNull(body, "body");
        return new Message(headers.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers)), body);
    }

    /**
     * Encodes {@code value} with Jackson, on the calling thread.
     *
     * @param value any Jackson-serialisable value
     * @return a message with {@code content-type: application/json}
     * @throws IllegalArgumentException if {@code value} cannot be serialised
     */
    public static Message json(Object value) {
        try {
            return new Message(Map.of(CONTENT_TYPE, JSON), Mapper.INSTANCE.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value.getClass().getName() + " to JSON", e);
        }
    }

    /** @return the shared mapper {@link #json(Object)} and {@link #json(Class)} use (configure it at startup) */
    public static ObjectMapper mapper() {
        return Mapper.INSTANCE;
    }

    /**
     * @param name header name (lower case by convention)
     * @param value its value
     * @return a copy of this message with the header set
     */
    public Message header(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        LinkedHashMap<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Message(Collections.unmodifiableMap(h), body);
    }

    /**
     * @param name header name
     * @return its value, or null
     */
    public String header(String name) {
        return headers.get(name);
    }

    /** @return the headers, unmodifiable */
    public Map<String, String> headers() {
        return headers;
    }

    /** @return the body; shared, do not modify */
    public byte[] body() {
        return body;
    }

    /** @return the body decoded as UTF-8 */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * Decodes the body as JSON.
     *
     * @param <T> target type
     * @param type target class
     * @return the value
     * @throws BusException if the body is not valid JSON for {@code type}
     */
    public <T> T json(Class<T> type) {
        try {
            return Mapper.INSTANCE.readValue(body, type);
        } catch (IOException e) {
            throw new BusException("message body is not valid JSON for " + type.getSimpleName(), e);
        }
    }

    @Override
    public String toString() {
        return "Message[" + body.length + " bytes, headers=" + headers.keySet() + "]";
    }

    /**
     * Holds the mapper so that text and byte messages never load Jackson; {@link Bus#create} loads
     * it on the caller's thread, so the first JSON message on a loop does not pay for it there.
     */
    static final class Mapper {
        static final ObjectMapper INSTANCE = new ObjectMapper();

        private Mapper() {
        }
    }
}
