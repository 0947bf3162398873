package io.eventide.core.tls;

import io.eventide.core.tls.internal.Pem;
import io.eventide.core.tls.internal.SniKeyManager;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * A TLS client's configuration: whom to trust, whether to check the host name (yes by default,
 * RFC 6125 as the JDK's {@code HTTPS} endpoint identification does it), an optional client
 * certificate for mutual TLS, ALPN, protocol versions (TLS 1.3 and 1.2 only), handshake timeout.
 * The host name the client connects to is sent as SNI (unless it is an IP literal) and checked
 * against the server's certificate.
 *
 * <pre>{@code
 * ClientTls tls = ClientTls.defaults()                          // the JDK's trusted CAs
 *         .trust(TlsTrust.pem(Path.of("internal-ca.pem")));     // or only your own CA
 * TcpClient.connect(loop, "api.internal", 443, TcpOptions.defaults(), tls)
 * }</pre>
 *
 * <p><b>Threading:</b> any thread. Building one reads files (trust and key stores) and so belongs
 * off the loops; {@link #newEngine} is cheap and safe from any thread.
 */
public final class ClientTls {
    private static volatile ClientTls defaults;

    private final TlsTrust trust;
    private final TlsKeys keys;
    private final boolean verifyHostname;
    private final TlsSettings settings;
    private final SSLContext context;

    private ClientTls(TlsTrust trust, TlsKeys keys, boolean verifyHostname, TlsSettings settings) {
        this.trust = trust;
        this.keys = keys;
        this.verifyHostname = verifyHostname;
        this.settings = settings;
        this.context = build();
    }

    /** @return the JDK's default trust, host names checked, no client certificate (built once) */
    public static ClientTls defaults() {
        ClientTls d = defaults;
        if (d == null) {
            d = new ClientTls(TlsTrust.system(), null, true, TlsSettings.defaults());
            defaults = d;
        }
        return d;
    }

    /** @param t the authorities server certificates must chain to @return a copy with it */
    public ClientTls trust(TlsTrust t) {
        return new ClientTls(Objects.requireNonNull(t), keys, verifyHostname, settings);
    }

    /** @param clientKeys the certificate to present when a server asks (mutual TLS) @return a copy */
    public ClientTls keys(TlsKeys clientKeys) {
        return new ClientTls(trust, Objects.requireNonNull(clientKeys), verifyHostname, settings);
    }

    /**
     * @param on whether the server's certificate must name the host connected to. Turning it off
     *     makes any certificate from a trusted authority acceptable for any host: for tests only
     * @return a copy with it
     */
    public ClientTls verifyHostname(boolean on) {
        return new ClientTls(trust, keys, on, settings);
    }

    /** @param protocols ALPN names to offer, in preference order @return a copy with them */
    public ClientTls alpn(String... protocols) {
        return new ClientTls(trust, keys, verifyHostname, settings.alpn(protocols));
    }

    /** @param versions {@code "TLSv1.3"} and/or {@code "TLSv1.2"} @return a copy with them */
    public ClientTls protocols(String... versions) {
        return new ClientTls(trust, keys, verifyHostname, settings.protocols(versions));
    }

    /** @param timeout the handshake must finish within this @return a copy with it */
    public ClientTls handshakeTimeout(Duration timeout) {
        return new ClientTls(trust, keys, verifyHostname, settings.handshakeTimeout(timeout));
    }

    /** @return the handshake deadline */
    public Duration handshakeTimeout() {
        return settings.handshakeTimeout();
    }

    /** @return the ALPN names offered, empty if none */
    public List<String> alpn() {
        return settings.alpn();
    }

    /**
     * A client-side engine for {@code host}: SNI set (for a name, not an IP literal), host name
     * checked if enabled. Any thread.
     *
     * @param host the host name or IP literal connected to
     * @param port the port
     * @return a new engine
     */
    public SSLEngine newEngine(String host, int port) {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters p = settings.parameters(context, engine);
        if (verifyHostname) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!isIpLiteral(host)) {
            p.setServerNames(List.of(new SNIHostName(host)));
        }
        engine.setSSLParameters(p);
        return engine;
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private SSLContext build() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            KeyManager[] kms = keys == null ? null
                    : new KeyManager[] {new SniKeyManager(List.of(new SniKeyManager.Entry(null, load(keys))))};
            ctx.init(kms, trust.trustManagers(), null);
            TlsSettings.warm(ctx, true);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new TlsException("cannot build the client TLS context: " + e.getMessage(), e);
        }
    }

    private static Pem.KeyEntry load(TlsKeys k) {
        return k.load();
    }

    @Override
    public String toString() {
        return "ClientTls[" + trust + (keys == null ? "" : ", " + keys) + ", verifyHostname=" + verifyHostname + "]";
    }
}
