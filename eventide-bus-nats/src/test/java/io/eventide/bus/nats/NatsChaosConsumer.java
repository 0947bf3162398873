package io.eventide.bus.nats;

import io.eventide.bus.testing.ChaosConsumer;

/** The consumer process of {@link NatsChaosIT}: args {@code subject file}. */
public final class NatsChaosConsumer {
    private NatsChaosConsumer() {
    }

    /** @param args subject, output file */
    public static void main(String[] args) throws Exception {
        ChaosConsumer.run(NatsTransport.create(NatsOptions.defaults()), args[0], args[1]);
    }
}
