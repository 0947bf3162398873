package io.eventide.core.tls;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/** What servers and clients share: protocol versions, ALPN, handshake timeout, engine set-up. */
record TlsSettings(List<String> protocols, List<String> alpn, Duration handshakeTimeout) {
    /** TLS 1.3 and 1.2 only, with the JDK's modern cipher defaults. */
    static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    TlsSettings {
        protocols = List.copyOf(protocols);
        alpn = List.copyOf(alpn);
        for (String p : protocols) {
            if (!DEFAULT_PROTOCOLS.contains(p)) {
                throw new IllegalArgumentException("only TLSv1.3 and TLSv1.2 are allowed, not " + p);
            }
        }
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("at least one protocol version is needed");
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive: " + handshakeTimeout);
        }
    }

    static TlsSettings defaults() {
        return new TlsSettings(DEFAULT_PROTOCOLS, List.of(), DEFAULT_HANDSHAKE_TIMEOUT);
    }

    TlsSettings protocols(String... ps) {
        return new TlsSettings(Arrays.asList(ps), alpn, handshakeTimeout);
    }

    TlsSettings alpn(String... ps) {
        return new TlsSettings(protocols, Arrays.asList(ps), handshakeTimeout);
    }

    TlsSettings handshakeTimeout(Duration d) {
        return new TlsSettings(protocols, alpn, d);
    }

    /** Applies versions and ALPN; the caller adds what is side-specific, then sets the parameters. */
    SSLParameters parameters(SSLContext context, SSLEngine engine) {
        SSLParameters p = engine.getSSLParameters();
        List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getProtocols());
        List<String> enabled = new ArrayList<>();
        for (String v : protocols) {
            if (supported.contains(v)) {
                enabled.add(v);
            }
        }
        p.setProtocols(enabled.toArray(new String[0]));
        if (!alpn.isEmpty()) {
            p.setApplicationProtocols(alpn.toArray(new String[0]));
        }
        return p;
    }

    /**
     * Creates and sets up one engine on the building thread, so that the classes a first engine
     * needs are loaded here (a main or worker thread), not on a loop at the first connection: on a
     * busy machine that loading took the better part of a second.
     */
    static void warm(SSLContext context, boolean client) {
        SSLEngine e = context.createSSLEngine();
        e.setUseClientMode(client);
        e.setSSLParameters(e.getSSLParameters());
        e.getSession().getPacketBufferSize();
        e.closeOutbound();
    }
}
