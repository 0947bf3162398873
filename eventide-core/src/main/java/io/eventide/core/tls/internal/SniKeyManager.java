package io.eventide.core.tls.internal;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Server key manager that picks the certificate by the host name the client sent (SNI): exact names
 * and one-label wildcards ({@code *.example.com}), the first entry when nothing matches or the
 * client sent no name. Among entries for a name, the one whose key fits the signature algorithm
 * the handshake asks for (RSA, EC, EdDSA) wins.
 *
 * <p><b>Threading:</b> immutable; called by the JDK from whatever thread runs the handshake step
 * (a worker running delegated tasks, or the loop).
 */
public final class SniKeyManager extends X509ExtendedKeyManager {
    private final List<Entry> entries;

    /**
     * One certificate and the names it serves.
     *
     * @param hostPattern exact host name or {@code *.domain}; null for the default entry
     * @param keys the key and chain
     */
    public record Entry(String hostPattern, Pem.KeyEntry keys) {
    }

    /** @param entries the default entry first, then one per SNI name */
    public SniKeyManager(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        String host = requestedHost(engine == null ? null : engine.getHandshakeSession());
        if (host != null) {
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                if (e.hostPattern() != null && matches(e.hostPattern(), host) && fits(keyType, e)) {
                    return alias(i);
                }
            }
        }
        for (int i = 0; i < entries.size(); i++) {
            if (fits(keyType, entries.get(i))) {
                return alias(i);
            }
        }
        return null;
    }

    /**
     * @param session the handshake session (server side)
     * @return the first SNI host name the client sent, lower case, or null
     */
    public static String requestedHost(SSLSession session) {
        if (session instanceof ExtendedSSLSession ext) {
            for (SNIServerName n : ext.getRequestedServerNames()) {
                if (n instanceof SNIHostName h) {
                    return h.getAsciiName().toLowerCase(Locale.ROOT);
                }
            }
        }
        return null;
    }

    static boolean matches(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT);
        if (p.startsWith("*.")) {
            int dot = host.indexOf('.');
            return dot > 0 && host.substring(dot + 1).equals(p.substring(2));
        }
        return p.equals(host);
    }

    private static boolean fits(String keyType, Entry e) {
        String alg = e.keys().key().getAlgorithm();
        return keyType.equals(alg) || keyType.equals("RSASSA-PSS") && alg.equals("RSA")
                || keyType.startsWith("Ed") && (alg.startsWith("Ed"));
    }

    private static String alias(int i) {
        return "sni-" + i;
    }

    private Entry entry(String alias) {
        if (alias == null || !alias.startsWith("sni-")) {
            return null;
        }
        try {
            int i = Integer.parseInt(alias.substring(4));
            return i >= 0 && i < entries.size() ? entries.get(i) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Entry e = entry(alias);
        return e == null ? null : e.keys().chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Entry e = entry(alias);
        return e == null ? null : e.keys().key();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return entries.stream().filter(e -> fits(keyType, e)).map(e -> alias(entries.indexOf(e)))
                .toArray(String[]::new);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return chooseEngineServerAlias(keyType, issuers, null);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return chooseEngineClientAlias(keyTypes, issuers, null);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        for (String t : keyTypes) {
            for (int i = 0; i < entries.size(); i++) {
                if (fits(t, entries.get(i))) {
                    return alias(i);
                }
            }
        }
        return null;
    }
}
