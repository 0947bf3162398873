/**
 * The live showcase ({@code ./eventide demo}, and {@code --cluster}: workers of eventide cluster
 * over the machine's broker and PostgreSQL) and the standard workload, one copy.
 */
module io.eventide.demo {
    requires transitive io.eventide.cli;
    requires transitive io.eventide.json;
    requires java.management; // the dashboard shows heap and GC
    // --cluster only: events across workers over a broker, the chat history in PostgreSQL.
    requires io.eventide.bus.http;
    requires io.eventide.bus.rabbitmq;
    requires io.eventide.bus.nats;
    requires io.eventide.bus.kafka;
    requires io.eventide.pg;

    exports io.eventide.demo;
}
