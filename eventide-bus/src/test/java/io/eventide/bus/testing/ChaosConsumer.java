package io.eventide.bus.testing;

import io.eventide.bus.Bus;
import io.eventide.bus.ConsumerOptions;
import io.eventide.bus.spi.Transport;
import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import io.eventide.core.Promise;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The consumer process of a chaos run: consumes an address and appends each message's id to a file
 * before its handler's promise resolves (so before the broker is acknowledged). A {@code kill -9}
 * loses nothing written: each line is one {@code write} system call, in the kernel before the ack.
 * Each bridge's test has a {@code main} that builds its transport and calls {@link #run}.
 */
public final class ChaosConsumer {
    private ChaosConsumer() {
    }

    /**
     * Consumes until the process is killed or destroyed.
     *
     * @param transport the bridge
     * @param address the queue
     * @param out the file to append ids to
     * @throws Exception if the file cannot be opened
     */
    public static void run(Transport transport, String address, String out) throws Exception {
        LoopGroup group = LoopGroup.create(LoopOptions.builder().loops(1).build());
        Bus bus = Bus.create(group).bridge("", transport);
        FileOutputStream file = new FileOutputStream(out, true);
        bus.consume(group.loop(0), address, ConsumerOptions.defaults().credit(256), d -> {
            try {
                // A short append to a local file; in this test harness it stands for the handler's work.
                file.write((d.message().header(io.eventide.bus.Message.MESSAGE_ID) + "\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                return Promise.failed(d.loop(), e);
            }
            return Promise.resolved(d.loop(), null);
        });
        System.out.println("CONSUMING");
        System.out.flush();
        Thread.currentThread().join();
    }
}
