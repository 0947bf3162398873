package io.eventide.pg;

import java.net.URI;
import java.net.URISyntaxException;
import io.eventide.core.tls.ClientTls;
import io.eventide.core.tls.TlsTrust;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Reads {@link PgOptions} from a libpq connection URI or the libpq environment variables. */
final class ConnectionStrings {
    private ConnectionStrings() {
    }

    static PgOptions fromUri(String uri) {
        URI u;
        try {
            u = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URI: " + e.getMessage(), e);
        }
        if (!"postgresql".equals(u.getScheme()) && !"postgres".equals(u.getScheme())) {
            throw new IllegalArgumentException("a PostgreSQL URI starts with postgresql://, not " + u.getScheme() + "://");
        }
        PgOptions o = PgOptions.defaults();
        if (u.getHost() != null) {
            o = o.host(u.getHost().startsWith("[") ? u.getHost().substring(1, u.getHost().length() - 1) : u.getHost());
        }
        if (u.getPort() > 0) {
            o = o.port(u.getPort());
        }
        if (u.getRawUserInfo() != null) {
            String[] ui = u.getRawUserInfo().split(":", 2);
            o = o.user(decode(ui[0]));
            if (ui.length == 2) {
                o = o.password(decode(ui[1]));
            }
        }
        if (u.getRawPath() != null && u.getRawPath().length() > 1) {
            o = o.database(decode(u.getRawPath().substring(1)));
        }
        if (u.getRawQuery() != null) {
            for (String kv : u.getRawQuery().split("&")) {
                String[] p = kv.split("=", 2);
                String key = decode(p[0]);
                String value = p.length == 2 ? decode(p[1]) : "";
                o = switch (key) {
                    case "sslmode" -> o.sslMode(sslMode(value));
                    case "sslrootcert" -> o.tls(rootCert(value));
                    case "application_name" -> o.applicationName(value);
                    case "user" -> o.user(value);
                    case "password" -> o.password(value);
                    case "host" -> o.host(value);
                    case "port" -> o.port(Integer.parseInt(value));
                    case "dbname" -> o.database(value);
                    default -> o.parameter(key, value);
                };
            }
        }
        return o;
    }

    static PgOptions fromEnv(Map<String, String> env) {
        PgOptions o = PgOptions.defaults();
        if (env.get("PGHOST") != null) {
            o = o.host(env.get("PGHOST"));
        }
        if (env.get("PGPORT") != null) {
            o = o.port(Integer.parseInt(env.get("PGPORT")));
        }
        if (env.get("PGDATABASE") != null) {
            o = o.database(env.get("PGDATABASE"));
        }
        if (env.get("PGUSER") != null) {
            o = o.user(env.get("PGUSER"));
        }
        if (env.get("PGPASSWORD") != null) {
            o = o.password(env.get("PGPASSWORD"));
        }
        if (env.get("PGSSLMODE") != null) {
            o = o.sslMode(sslMode(env.get("PGSSLMODE")));
        }
        if (env.get("PGSSLROOTCERT") != null) {
            o = o.tls(rootCert(env.get("PGSSLROOTCERT")));
        }
        if (env.get("PGAPPNAME") != null) {
            o = o.applicationName(env.get("PGAPPNAME"));
        }
        return o;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** libpq's sslrootcert: a PEM file of the CAs to trust ({@code system}: the JDK's). */
    private static ClientTls rootCert(String path) {
        return path.equals("system") ? ClientTls.defaults()
                : ClientTls.defaults().trust(TlsTrust.pem(Path.of(path)));
    }

    private static SslMode sslMode(String s) {
        return SslMode.valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
