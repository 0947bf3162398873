/**
 * The Eventide event bus over NATS JetStream, through the official jnats client: publishAsync
 * awaiting the PubAck, Nats-Msg-Id dedup, pull consumers with batch = credit, explicit acks.
 */
@SuppressWarnings("requires-automatic") // jnats declares only an Automatic-Module-Name
module io.eventide.bus.nats {
    requires transitive io.eventide.bus;
    requires io.nats.jnats;

    exports io.eventide.bus.nats;
}
