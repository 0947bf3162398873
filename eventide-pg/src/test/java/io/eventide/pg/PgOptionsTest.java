package io.eventide.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Connection URIs and libpq environment variables. */
class PgOptionsTest {
    @Test
    void aFullUriSetsEveryPart() {
        PgOptions o = PgOptions.fromUri("postgresql://app%40x:p%3Ass+w@db.example:6543/my%20db"
                + "?sslmode=verify-full&application_name=web&search_path=app");
        assertThat(o.user()).isEqualTo("app@x");
        assertThat(o.password()).isEqualTo("p:ss+w");
        assertThat(o.host()).isEqualTo("db.example");
        assertThat(o.port()).isEqualTo(6543);
        assertThat(o.database()).isEqualTo("my db");
        assertThat(o.sslMode()).isEqualTo(SslMode.VERIFY_FULL);
        assertThat(o.applicationName()).isEqualTo("web");
        assertThat(o.parameters()).containsEntry("search_path", "app");
    }

    @Test
    void partsLeftOutKeepTheirDefaults() {
        PgOptions o = PgOptions.fromUri("postgres://[::1]");
        assertThat(o.host()).isEqualTo("::1");
        assertThat(o.port()).isEqualTo(5432);
        assertThat(o.user()).isEqualTo("postgres");
        assertThat(o.password()).isNull();
        assertThatThrownBy(() -> PgOptions.fromUri("mysql://x/y")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void libpqEnvironmentVariables() {
        PgOptions o = PgOptions.fromEnv(Map.of("PGHOST", "h", "PGPORT", "7777", "PGDATABASE", "d", "PGUSER", "u",
                "PGPASSWORD", "pw", "PGSSLMODE", "disable", "PGAPPNAME", "a"));
        assertThat(o.host() + o.port() + o.database() + o.user() + o.password() + o.applicationName()).isEqualTo("h7777dupwa");
        assertThat(o.sslMode()).isEqualTo(SslMode.DISABLE);
        assertThat(PgOptions.fromEnv(Map.of()).host()).isEqualTo("127.0.0.1");
    }
}
