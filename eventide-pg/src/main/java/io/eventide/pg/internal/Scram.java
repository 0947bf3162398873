package io.eventide.pg.internal;

import io.eventide.pg.PgException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL uses it: no channel binding
 * ({@code n,,}), the user name left empty (the server takes the startup one).
 *
 * <pre>
 *   client-first  n,,n=,r=CNONCE
 *   server-first  r=CNONCE+SNONCE,s=SALT,i=ITERATIONS
 *   client-final  c=biws,r=NONCE,p=base64(ClientKey XOR HMAC(H(ClientKey), AuthMessage))
 *   server-final  v=base64(HMAC(ServerKey, AuthMessage))   checked, else the login fails
 * </pre>
 *
 * The salted password (PBKDF2, 4096+ rounds) is the expensive part: {@link #saltedPassword} runs it
 * on a worker and the pool caches the result per (password, salt, iterations), so reconnects skip it.
 */
final class Scram {
    static final String MECHANISM = "SCRAM-SHA-256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String clientNonce;
    private final String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private byte[] salt;
    private int iterations;
    private byte[] expectedServerSignature;

    Scram() {
        this("", randomNonce());
    }

    /** For the RFC 7677 test vector, which names its user and fixes its nonce. */
    Scram(String user, String nonce) {
        clientNonce = nonce;
        clientFirstBare = "n=" + user + ",r=" + clientNonce;
    }

    private static String randomNonce() {
        byte[] n = new byte[18];
        RANDOM.nextBytes(n);
        return Base64.getEncoder().encodeToString(n);
    }

    /** @return the client-first-message */
    byte[] clientFirst() {
        return ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    /** Parses the server-first-message. */
    void serverFirst(String msg) {
        serverFirst = msg;
        for (String attr : msg.split(",")) {
            if (attr.startsWith("r=")) {
                nonce = attr.substring(2);
            } else if (attr.startsWith("s=")) {
                salt = Base64.getDecoder().decode(attr.substring(2));
            } else if (attr.startsWith("i=")) {
                iterations = Integer.parseInt(attr.substring(2));
            }
        }
        if (nonce == null || salt == null || iterations < 1 || !nonce.startsWith(clientNonce)
                || nonce.length() == clientNonce.length()) {
            throw new PgException(PgException.PROTOCOL_VIOLATION, "malformed SCRAM server-first-message", null);
        }
    }

    byte[] salt() {
        return salt;
    }

    int iterations() {
        return iterations;
    }

    /** @return the client-final-message, given the salted password */
    byte[] clientFinal(byte[] saltedPassword) {
        String withoutProof = "c=biws,r=" + nonce;
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] clientKey = hmac(saltedPassword, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] storedKey = sha256(clientKey);
        byte[] signature = hmac(storedKey, authMessage);
        byte[] proof = clientKey.clone();
        for (int i = 0; i < proof.length; i++) {
            proof[i] ^= signature[i];
        }
        byte[] serverKey = hmac(saltedPassword, "Server Key".getBytes(StandardCharsets.US_ASCII));
        expectedServerSignature = hmac(serverKey, authMessage);
        return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
    }

    /** Checks the server-final-message: proof that the server knows the password too. */
    void serverFinal(String msg) {
        if (msg.startsWith("e=")) {
            throw new PgException(PgException.INVALID_AUTHORIZATION, "SCRAM authentication failed: " + msg.substring(2), null);
        }
        if (!msg.startsWith("v=")) {
            throw new PgException(PgException.PROTOCOL_VIOLATION, "malformed SCRAM server-final-message", null);
        }
        int end = msg.indexOf(',');
        byte[] got = Base64.getDecoder().decode(end < 0 ? msg.substring(2) : msg.substring(2, end));
        if (!MessageDigest.isEqual(got, expectedServerSignature)) {
            throw new PgException(PgException.INVALID_AUTHORIZATION,
                    "the server's SCRAM signature does not match: it does not know the password", null);
        }
    }

    /** Hi(SASLprep(password), salt, i): PBKDF2 with HMAC-SHA-256. CPU-heavy: call it on a worker. */
    static byte[] saltedPassword(String password, byte[] salt, int iterations) {
        String prepared = SaslPrep.prepare(password);
        byte[] pw = (prepared != null ? prepared : password).getBytes(StandardCharsets.UTF_8);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // An empty key is refused by SecretKeySpec; HMAC pads keys with zeros, so one zero byte is the same key.
            mac.init(new SecretKeySpec(pw.length == 0 ? new byte[1] : pw, "HmacSHA256"));
            mac.update(salt);
            byte[] u = mac.doFinal(new byte[] {0, 0, 0, 1});
            byte[] result = u.clone();
            for (int i = 1; i < iterations; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < result.length; j++) {
                    result[j] ^= u[j];
                }
            }
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** MD5 authentication: {@code "md5" + md5hex(md5hex(password + user) + salt)}. */
    static byte[] md5Password(String user, String password, byte[] salt) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            byte[] inner = hex(md.digest((password + user).getBytes(StandardCharsets.UTF_8)))
                    .getBytes(StandardCharsets.US_ASCII);
            md.update(inner);
            md.update(salt);
            return ("md5" + hex(md.digest())).getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 unavailable", e);
        }
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }
}
