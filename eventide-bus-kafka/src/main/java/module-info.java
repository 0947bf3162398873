/**
 * The Eventide event bus over Apache Kafka, through the official kafka-clients: an idempotent
 * producer with acks=all on its own thread, consumers on poll threads paused by the loop's credit,
 * commits after processing, a rebalance listener committing on revoke.
 */
@SuppressWarnings("requires-automatic") // kafka-clients has no module descriptor
module io.eventide.bus.kafka {
    requires transitive io.eventide.bus;
    requires kafka.clients;

    exports io.eventide.bus.kafka;
}
