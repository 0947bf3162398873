package io.eventide.bus.rabbitmq;

import static org.assertj.core.api.Assertions.fail;

import io.eventide.bus.testing.BusTesting;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The real RabbitMQ on 127.0.0.1:5672 (guest/guest): used when running, started from Debian's
 * package when installed but stopped, else the test fails saying so. {@code rabbitmqctl} drives the
 * broker for the blocked and restart scenarios.
 */
final class RabbitTesting {
    private RabbitTesting() {
    }

    static void ensureBroker() {
        if (BusTesting.listening(5672)) {
            return;
        }
        try {
            BusTesting.run(List.of("rabbitmq-server", "-detached"));
            BusTesting.run(List.of("rabbitmqctl", "await_startup"));
        } catch (RuntimeException e) {
            // Reported by the check below, which names what is missing.
        }
        if (!BusTesting.listening(5672)) {
            fail("RabbitMQ is not listening on 127.0.0.1:5672 and could not be started "
                    + "(install Debian's rabbitmq-server and run `rabbitmq-server -detached`)");
        }
    }

    /** @param args a rabbitmqctl command line @return its output */
    static String ctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("rabbitmqctl", "-q"));
        cmd.addAll(List.of(args));
        return BusTesting.run(cmd);
    }

    static void await(String what, int seconds, BooleanSupplier condition) {
        BusTesting.await(what, seconds, condition);
    }
}
