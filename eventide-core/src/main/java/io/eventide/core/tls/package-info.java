/**
 * TLS for Eventide's TCP connections, driven by the JDK's {@link javax.net.ssl.SSLEngine} on the
 * loop: {@link io.eventide.core.tls.ServerTls} and {@link io.eventide.core.tls.ClientTls} configure
 * it, {@link io.eventide.core.tls.TlsKeys} and {@link io.eventide.core.tls.TlsTrust} say where keys
 * and trusted authorities come from, {@link io.eventide.core.tls.TlsInfo} describes a finished
 * handshake. The layer itself lives in {@code io.eventide.core.net}: protocols above it see
 * plaintext.
 */
package io.eventide.core.tls;
