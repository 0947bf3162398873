package io.eventide.bus.rabbitmq.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import io.eventide.bus.Message;
import io.eventide.bus.rabbitmq.RabbitOptions;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Conversions between bus messages and AMQP properties, and the topology the bridge declares: a
 * durable quorum queue per sent-to address, a durable fanout exchange per published-to address.
 *
 * <p><b>Threading:</b> stateless; the channel methods are called on the thread that owns the channel.
 */
public final class Amqp {
    private Amqp() {
    }

    /** @param o options @return a connection factory (automatic recovery as asked by the caller) */
    public static ConnectionFactory factory(RabbitOptions o) {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(o.host());
        f.setPort(o.port());
        f.setUsername(o.username());
        f.setPassword(o.password());
        f.setVirtualHost(o.virtualHost());
        f.setConnectionTimeout(5_000);
        f.setHandshakeTimeout(5_000);
        f.setRequestedHeartbeat(10);
        f.setNetworkRecoveryInterval(o.reconnectDelay().toMillis());
        return f;
    }

    /**
     * @param m a bus message
     * @param id its message id
     * @return persistent properties carrying its headers
     */
    public static AMQP.BasicProperties properties(Message m, String id) {
        Map<String, Object> headers = new HashMap<>();
        for (Map.Entry<String, String> h : m.headers().entrySet()) {
            if (!h.getKey().equals(Message.CONTENT_TYPE) && !h.getKey().equals(Message.MESSAGE_ID)) {
                headers.put(h.getKey(), h.getValue());
            }
        }
        return new AMQP.BasicProperties.Builder()
                .deliveryMode(2) // persistent
                .messageId(id)
                .contentType(m.header(Message.CONTENT_TYPE))
                .headers(headers.isEmpty() ? null : headers)
                .build();
    }

    /**
     * @param props received properties
     * @param body received body
     * @return a bus message (header values as text)
     */
    public static Message message(AMQP.BasicProperties props, byte[] body) {
        Map<String, String> h = new LinkedHashMap<>();
        if (props.getHeaders() != null) {
            for (Map.Entry<String, Object> e : props.getHeaders().entrySet()) {
                h.put(e.getKey(), String.valueOf(e.getValue()));
            }
        }
        if (props.getContentType() != null) {
            h.put(Message.CONTENT_TYPE, props.getContentType());
        }
        if (props.getMessageId() != null) {
            h.put(Message.MESSAGE_ID, props.getMessageId());
        }
        return Message.wrap(h, body);
    }

    /**
     * @param ch a channel
     * @param queue the queue
     * @param extra extra arguments
     * @throws IOException if the broker refuses (a queue of that name with other arguments)
     */
    public static void declareQueue(Channel ch, String queue, Map<String, Object> extra) throws IOException {
        Map<String, Object> args = new HashMap<>(extra);
        args.put("x-queue-type", "quorum");
        ch.queueDeclare(queue, true, false, false, args);
    }

    /**
     * @param ch a channel
     * @param exchange the fanout exchange of a published-to address
     * @throws IOException if the broker refuses
     */
    public static void declareExchange(Channel ch, String exchange) throws IOException {
        ch.exchangeDeclare(exchange, "fanout", true);
    }
}
