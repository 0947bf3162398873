package io.eventide.core.tls;

/**
 * What a TLS server counted since it started, for /metrics.
 *
 * @param handshakes handshakes completed
 * @param failures handshakes that failed: untrusted or bad peer, no common protocol or cipher suite,
 *     a client certificate missing where required
 * @param timeouts handshakes not finished within the handshake timeout
 * @param plaintext connections that sent plaintext (an {@code http://} request, say) to the TLS port,
 *     closed at once
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public record TlsStats(long handshakes, long failures, long timeouts, long plaintext) {
    /** Nothing counted: the value for a server without TLS. */
    public static final TlsStats NONE = new TlsStats(0, 0, 0, 0);
}
