package io.eventide.bus.spi;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Message ids for every send that has none: a random 96-bit prefix drawn once per process, then a
 * counter. Unique across processes and restarts (brokers dedupe on them: NATS {@code Nats-Msg-Id}),
 * and cheap on a loop: {@code UUID.randomUUID()} draws from the shared {@code SecureRandom} on every
 * call, which under a burst of sends held a loop past the watchdog's threshold. The ids are unique,
 * not secret: do not use them where guessing one must be hard.
 *
 * <p>The prefix is drawn when this class is first used; {@link io.eventide.bus.Bus#create} uses it,
 * so seeding never happens on a loop.
 *
 * <p><b>Threading:</b> any thread; the counter is atomic.
 */
public final class MessageIds {
    private static final String PREFIX;
    private static final AtomicLong NEXT = new AtomicLong();

    static {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        PREFIX = HexFormat.of().formatHex(b) + "-";
    }

    private MessageIds() {
    }

    /** @return a new id, e.g. {@code 3f9c0e1a7b2d44c58e01a9f2-42} */
    public static String next() {
        return PREFIX + Long.toString(NEXT.incrementAndGet(), 36);
    }
}
