package io.eventide.core.tls;

import io.eventide.core.tls.internal.SniKeyManager;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * A TLS server's configuration: its certificate (and more, chosen by SNI), optional client
 * certificates (mutual TLS), ALPN, protocol versions (TLS 1.3 and 1.2 only) and the handshake
 * timeout. Give it to {@code TcpServer.create(group, options, tls, handler)}; HTTP servers take it
 * through their options.
 *
 * <pre>{@code
 * ServerTls tls = ServerTls.of(TlsKeys.pem(Path.of("fullchain.pem"), Path.of("key.pem")))
 *         .sni("api.example.com", TlsKeys.pem(Path.of("api.pem"), Path.of("api-key.pem")))
 *         .alpn("http/1.1");
 * // later, after the files were renewed on disk (from a worker or any non-loop thread):
 * tls.reload();   // handshakes from now on use the new certificates; open connections keep theirs
 * }</pre>
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>protocols</td><td>TLSv1.3, TLSv1.2 (nothing older can be enabled)</td></tr>
 *   <tr><td>cipher suites</td><td>the JDK's defaults</td></tr>
 *   <tr><td>ALPN</td><td>none (HTTP servers advertise {@code http/1.1})</td></tr>
 *   <tr><td>client certificates</td><td>not asked for</td></tr>
 *   <tr><td>handshake timeout</td><td>10 s</td></tr>
 * </table>
 *
 * <p><b>Threading:</b> any thread. Building one and {@link #reload()} read files and so belong off
 * the loops; {@link #newEngine()} is cheap and safe from any thread. The configuration methods
 * return new instances; the live context is swapped atomically by {@link #reload()}.
 */
public final class ServerTls {
    /** Whether the server asks clients for a certificate. */
    public enum ClientAuth {
        /** Never asks (the default). */
        NONE,
        /** Asks; a client without one is still accepted. */
        REQUEST,
        /** Asks; a client without a certificate trusted by the configured trust fails the handshake. */
        REQUIRE
    }

    private final TlsKeys keys;
    private final List<String> sniNames;
    private final List<TlsKeys> sniKeys;
    private final ClientAuth clientAuth;
    private final TlsTrust clientTrust;
    private final TlsSettings settings;
    private volatile SSLContext context;

    private ServerTls(TlsKeys keys, List<String> sniNames, List<TlsKeys> sniKeys, ClientAuth clientAuth,
            TlsTrust clientTrust, TlsSettings settings) {
        this.keys = keys;
        this.sniNames = List.copyOf(sniNames);
        this.sniKeys = List.copyOf(sniKeys);
        this.clientAuth = clientAuth;
        this.clientTrust = clientTrust;
        this.settings = settings;
        this.context = build();
    }

    /**
     * @param keys the default certificate: served when the client sends no SNI name or one no
     *     {@link #sni} entry matches
     * @return a server configuration (files read now)
     */
    public static ServerTls of(TlsKeys keys) {
        return new ServerTls(Objects.requireNonNull(keys), List.of(), List.of(), ClientAuth.NONE, null,
                TlsSettings.defaults());
    }

    /**
     * @param certificateChain PEM chain, leaf first
     * @param privateKey PEM PKCS#8 key
     * @return {@code of(TlsKeys.pem(certificateChain, privateKey))}
     */
    public static ServerTls pem(Path certificateChain, Path privateKey) {
        return of(TlsKeys.pem(certificateChain, privateKey));
    }

    /**
     * @param hostName an exact host name or a one-label wildcard ({@code *.example.com})
     * @param hostKeys the certificate served to clients asking for that name
     * @return a copy serving it too
     */
    public ServerTls sni(String hostName, TlsKeys hostKeys) {
        Objects.requireNonNull(hostName, "hostName");
        List<String> s = new ArrayList<>(sniNames);
        s.add(hostName);
        List<TlsKeys> k = new ArrayList<>(sniKeys);
        k.add(Objects.requireNonNull(hostKeys));
        return new ServerTls(keys, s, k, clientAuth, clientTrust, settings);
    }

    /**
     * Mutual TLS.
     *
     * @param mode whether to ask clients for a certificate, and whether to insist
     * @param trust the authorities client certificates must chain to
     * @return a copy with it
     */
    public ServerTls clientAuth(ClientAuth mode, TlsTrust trust) {
        if (mode != ClientAuth.NONE) {
            Objects.requireNonNull(trust, "trust");
        }
        return new ServerTls(keys, sniNames, sniKeys, mode, trust, settings);
    }

    /** @param protocols ALPN names to accept, in preference order, e.g. {@code "http/1.1"} @return a copy */
    public ServerTls alpn(String... protocols) {
        return new ServerTls(keys, sniNames, sniKeys, clientAuth, clientTrust, settings.alpn(protocols));
    }

    /** @param versions {@code "TLSv1.3"} and/or {@code "TLSv1.2"} @return a copy */
    public ServerTls protocols(String... versions) {
        return new ServerTls(keys, sniNames, sniKeys, clientAuth, clientTrust, settings.protocols(versions));
    }

    /** @param timeout a connection that has not finished its handshake by then is closed @return a copy */
    public ServerTls handshakeTimeout(Duration timeout) {
        return new ServerTls(keys, sniNames, sniKeys, clientAuth, clientTrust, settings.handshakeTimeout(timeout));
    }

    /** @return the handshake deadline */
    public Duration handshakeTimeout() {
        return settings.handshakeTimeout();
    }

    /** @return the ALPN names accepted, empty if none */
    public List<String> alpn() {
        return settings.alpn();
    }

    /**
     * Reads every key, certificate and trust file again and makes new handshakes use them. Open
     * connections keep the session they negotiated. On failure (a half-written file, a key that does
     * not match) the previous certificates stay in force and a {@link TlsException} says what is
     * wrong. Not on a loop: it reads files.
     */
    public void reload() {
        context = build();
    }

    /**
     * A server-side engine from the current context, with this configuration applied. Any thread.
     *
     * @return a new engine
     */
    public SSLEngine newEngine() {
        SSLContext ctx = context;
        SSLEngine engine = ctx.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters p = settings.parameters(ctx, engine);
        if (clientAuth == ClientAuth.REQUIRE) {
            p.setNeedClientAuth(true);
        } else if (clientAuth == ClientAuth.REQUEST) {
            p.setWantClientAuth(true);
        }
        engine.setSSLParameters(p);
        return engine;
    }

    private SSLContext build() {
        List<SniKeyManager.Entry> entries = new ArrayList<>();
        entries.add(new SniKeyManager.Entry(null, keys.load()));
        for (int i = 0; i < sniKeys.size(); i++) {
            entries.add(new SniKeyManager.Entry(sniNames.get(i), sniKeys.get(i).load()));
        }
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(new KeyManager[] {new SniKeyManager(entries)},
                    clientTrust == null ? null : clientTrust.trustManagers(), null);
            TlsSettings.warm(ctx, false);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new TlsException("cannot build the server TLS context: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "ServerTls[" + keys + (sniKeys.isEmpty() ? "" : ", " + sniKeys.size() + " SNI names")
                + ", clientAuth=" + clientAuth + ", alpn=" + settings.alpn() + "]";
    }
}
