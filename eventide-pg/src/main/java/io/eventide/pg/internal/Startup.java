package io.eventide.pg.internal;

import io.eventide.core.Promise;
import io.eventide.pg.PgException;
import io.eventide.pg.PgOptions;
import io.eventide.pg.internal.codec.Wire;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Startup and authentication: StartupMessage (protocol 3.2 asked for, 3.0 accepted through
 * NegotiateProtocolVersion), then the server's choice of trust, cleartext, MD5 or SASL
 * (SCRAM-SHA-256), then BackendKeyData and ParameterStatus, until the first ReadyForQuery.
 */
final class Startup implements Command {
    private static final int AUTH_OK = 0;
    private static final int AUTH_CLEARTEXT = 3;
    private static final int AUTH_MD5 = 5;
    private static final int AUTH_SASL = 10;
    private static final int AUTH_SASL_CONTINUE = 11;
    private static final int AUTH_SASL_FINAL = 12;

    private final PgOptions options;
    private final ServerMemory secrets;
    private final boolean ask32;
    private final Promise<WireConnection> ready;
    private Scram scram;
    private PgException error;

    Startup(PgOptions options, ServerMemory secrets, boolean ask32, Promise<WireConnection> ready) {
        this.options = options;
        this.secrets = secrets;
        this.ask32 = ask32;
        this.ready = ready;
    }

    @Override
    public void encode(WireConnection c, Wire w) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("user", options.user());
        params.put("database", options.database());
        params.put("application_name", options.applicationName());
        params.put("client_encoding", "UTF8");
        params.put("DateStyle", "ISO");
        params.put("extra_float_digits", "3");
        params.putAll(options.parameters());
        Messages.startup(w, ask32 ? Messages.PROTOCOL_32 : Messages.PROTOCOL_30, params);
        c.protocolMinor(ask32 ? 2 : 0);
    }

    @Override
    public boolean message(WireConnection c, byte type, ByteBuffer body) {
        switch (type) {
            case 'R' -> authentication(c, body);
            case 'v' -> negotiate(c, body);
            case 'K' -> {
                int pid = body.getInt();
                byte[] key = new byte[body.remaining()]; // 4 bytes in 3.0, up to 256 in 3.2
                body.get(key);
                c.backendKey(pid, key);
            }
            case 'E' -> {
                error = Backend.error(body);
                c.destroy(error); // the server closes after a startup error anyway
            }
            case 'Z' -> {
                ready.resolve(c);
                return true;
            }
            default -> throw new IllegalStateException("unexpected message during startup");
        }
        return false;
    }

    /** NegotiateProtocolVersion: the newest minor version the server speaks, and options it ignored. */
    private void negotiate(WireConnection c, ByteBuffer body) {
        // The manual calls it the newest minor version; servers send the whole version (3 << 16 | minor).
        int minor = body.getInt() & 0xFFFF;
        if (minor > 2) {
            throw new IllegalStateException("server offered protocol 3." + minor + ", more than asked for");
        }
        c.protocolMinor(minor);
    }

    private void authentication(WireConnection c, ByteBuffer body) {
        int code = body.getInt();
        switch (code) {
            case AUTH_OK -> { }
            case AUTH_CLEARTEXT -> c.send(w -> Messages.password(w, password().getBytes(StandardCharsets.UTF_8)));
            case AUTH_MD5 -> {
                byte[] salt = new byte[4];
                body.get(salt);
                c.send(w -> Messages.password(w, Scram.md5Password(options.user(), password(), salt)));
            }
            case AUTH_SASL -> saslStart(c, body);
            case AUTH_SASL_CONTINUE -> saslContinue(c, body);
            case AUTH_SASL_FINAL -> scram.serverFinal(utf8(body));
            default -> fatal(c, "the server asks for authentication method " + code + ", which is not supported");
        }
    }

    private void saslStart(WireConnection c, ByteBuffer body) {
        List<String> mechanisms = new ArrayList<>();
        for (String m = Backend.cstring(body); !m.isEmpty(); m = Backend.cstring(body)) {
            mechanisms.add(m);
        }
        if (!mechanisms.contains(Scram.MECHANISM)) {
            fatal(c, "the server offers SASL mechanisms " + mechanisms + "; only " + Scram.MECHANISM + " is supported");
            return;
        }
        password(); // fails now if there is none
        scram = new Scram();
        byte[] first = scram.clientFirst();
        c.send(w -> Messages.saslInitial(w, Scram.MECHANISM, first));
    }

    private void saslContinue(WireConnection c, ByteBuffer body) {
        scram.serverFirst(utf8(body));
        String pw = password();
        byte[] cached = secrets.get(pw, scram.salt(), scram.iterations());
        if (cached != null) {
            byte[] fin = scram.clientFinal(cached);
            c.send(w -> Messages.saslResponse(w, fin));
            return;
        }
        // PBKDF2 takes milliseconds of CPU: on a worker, never on the loop. The server waits for us.
        byte[] salt = scram.salt();
        int iterations = scram.iterations();
        c.loop().offload(() -> Scram.saltedPassword(pw, salt, iterations)).whenComplete((salted, err) -> {
            if (err != null) {
                c.destroy(new PgException(PgException.INVALID_AUTHORIZATION, "SCRAM key derivation failed: " + err, err));
                return;
            }
            secrets.put(pw, salt, iterations, salted);
            byte[] fin = scram.clientFinal(salted);
            c.send(w -> Messages.saslResponse(w, fin));
        });
    }

    private String password() {
        if (options.password() == null) {
            throw new PgException(PgException.INVALID_AUTHORIZATION, "the server asks for a password for user "
                    + options.user() + " and none was configured", null);
        }
        return options.password();
    }

    private void fatal(WireConnection c, String why) {
        error = new PgException(PgException.INVALID_AUTHORIZATION, why, null);
        c.destroy(error);
    }

    private static String utf8(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void fail(Throwable cause) {
        ready.reject(error != null ? error : cause);
    }
}
