package io.eventide.core.net;

import io.eventide.core.tls.TlsStats;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a TLS server counts: handshakes finished, handshakes failed (bad or untrusted peer, no common
 * protocol), handshakes timed out, and plaintext sent to the TLS port. Read by metrics.
 *
 * <p><b>Threading:</b> any thread: loops add, metrics read.
 */
final class TlsCounters {
    static final TlsCounters NONE = new TlsCounters();

    final LongAdder handshakes = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder plaintext = new LongAdder();

    void handshake() {
        handshakes.increment();
    }

    void failure() {
        failures.increment();
    }

    void timeout() {
        timeouts.increment();
    }

    void plaintext() {
        plaintext.increment();
    }

    TlsStats snapshot() {
        return new TlsStats(handshakes.sum(), failures.sum(), timeouts.sum(), plaintext.sum());
    }
}
