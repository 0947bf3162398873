package io.eventide.core.tls;

import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.SSLSession;

/**
 * What a finished TLS handshake agreed on, for logs, metrics and authorisation.
 *
 * @param protocol {@code "TLSv1.3"} or {@code "TLSv1.2"}
 * @param cipherSuite e.g. {@code "TLS_AES_128_GCM_SHA256"}
 * @param applicationProtocol the ALPN protocol agreed, e.g. {@code "http/1.1"}, or {@code ""} if none
 * @param serverName the SNI host name the client asked for, or null
 * @param peerCertificates the peer's chain, leaf first; empty if it sent none (clients without
 *     mutual TLS)
 * @param session the JDK session, for anything else
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public record TlsInfo(String protocol, String cipherSuite, String applicationProtocol, String serverName,
        List<Certificate> peerCertificates, SSLSession session) {
}
