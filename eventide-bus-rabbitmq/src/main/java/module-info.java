/**
 * The Eventide event bus over RabbitMQ, through the official amqp-client: publisher confirms,
 * quorum queues, manual acks after the handler, prefetch as credit, connection.blocked as
 * backpressure, reconnect with topology recovery and re-publish of unconfirmed messages.
 */
@SuppressWarnings("requires-automatic") // amqp-client declares only an Automatic-Module-Name
module io.eventide.bus.rabbitmq {
    requires transitive io.eventide.bus;
    requires com.rabbitmq.client;

    exports io.eventide.bus.rabbitmq;
}
