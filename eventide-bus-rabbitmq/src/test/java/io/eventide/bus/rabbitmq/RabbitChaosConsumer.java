package io.eventide.bus.rabbitmq;

import io.eventide.bus.testing.ChaosConsumer;

/** The consumer process of {@link RabbitChaosIT}: args {@code queue file}. */
public final class RabbitChaosConsumer {
    private RabbitChaosConsumer() {
    }

    /** @param args queue, output file */
    public static void main(String[] args) throws Exception {
        ChaosConsumer.run(RabbitTransport.create(RabbitOptions.defaults()), args[0], args[1]);
    }
}
