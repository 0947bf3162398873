package io.eventide.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.core.LoopGroup;
import io.eventide.core.Promise;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Password authentication against the real server. The test makes its own roles (SCRAM-SHA-256,
 * MD5, cleartext), puts one pg_hba.conf line per role in front of the others, reloads, and puts the
 * file back afterwards.
 */
class AuthIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PASSWORD = "pä ss\u00A0wörd ☃"; // non-ASCII, and a space SASLprep maps
    static String suffix;
    static String db;
    static Path hba;
    static String hbaOriginal;
    static LoopGroup group;

    @BeforeAll
    static void setUp() throws Exception {
        db = PgTesting.createDatabase("evauth");
        suffix = "_" + ProcessHandle.current().pid();
        try (Connection c = PgTesting.admin("postgres"); Statement s = c.createStatement()) {
            s.execute("SET password_encryption = 'scram-sha-256'");
            s.execute("CREATE ROLE ev_scram" + suffix + " LOGIN PASSWORD '" + PASSWORD + "'");
            s.execute("CREATE ROLE ev_clear" + suffix + " LOGIN PASSWORD '" + PASSWORD + "'");
            s.execute("SET password_encryption = 'md5'");
            s.execute("CREATE ROLE ev_md5" + suffix + " LOGIN PASSWORD '" + PASSWORD + "'");
            try (ResultSet rs = s.executeQuery("SHOW hba_file")) {
                rs.next();
                hba = Path.of(rs.getString(1));
            }
            hbaOriginal = Files.readString(hba);
            String lines = "host all ev_scram" + suffix + " 127.0.0.1/32 scram-sha-256\n"
                    + "host all ev_md5" + suffix + " 127.0.0.1/32 md5\n"
                    + "host all ev_clear" + suffix + " 127.0.0.1/32 password\n";
            Files.writeString(hba, lines + hbaOriginal);
            s.execute("SELECT pg_reload_conf()");
        }
        group = LoopGroup.create(1);
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            if (hbaOriginal != null) {
                Files.writeString(hba, hbaOriginal);
                PgTesting.exec("postgres", "SELECT pg_reload_conf()");
            }
        } finally {
            group.close(Duration.ofSeconds(5)).join();
            PgTesting.dropDatabase(db);
            for (String r : List.of("ev_scram", "ev_md5", "ev_clear")) {
                PgTesting.exec("postgres", "DROP ROLE IF EXISTS " + r + suffix);
            }
        }
    }

    private static String whoAmI(String role, String password) {
        PgClient pg = PgClient.create(group, PgTesting.options(db).user(role + suffix).password(password));
        try {
            return pg.query("SELECT current_user").join(WAIT).first().getString(0);
        } finally {
            pg.close().join(WAIT);
        }
    }

    @Test
    void scramMd5AndCleartextLogIn() {
        for (String role : List.of("ev_scram", "ev_md5", "ev_clear")) {
            assertThat(whoAmI(role, PASSWORD)).isEqualTo(role + suffix);
        }
    }

    @Test
    void aWrongPasswordIsRefusedWithTheServersError() {
        for (String role : List.of("ev_scram", "ev_md5", "ev_clear")) {
            assertThatThrownBy(() -> whoAmI(role, "wrong")).isInstanceOfSatisfying(PgException.class,
                    e -> assertThat(e.sqlState()).isEqualTo("28P01"));
        }
        assertThatThrownBy(() -> whoAmI("ev_scram", null)).isInstanceOfSatisfying(PgException.class,
                e -> assertThat(e.serverMessage()).contains("none was configured"));
    }

    @Test
    void reconnectsReuseTheSaltedPassword() {
        PgClient pg = PgClient.create(group, PgTesting.options(db).user("ev_scram" + suffix).password(PASSWORD).maxSize(4));
        try {
            PgSession first = pg.session().join(WAIT);
            assertThat(pg.metrics().keyDerivations()).isEqualTo(1);
            List<Promise<PgSession>> sessions = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                sessions.add(pg.session()); // three more connections while the first is held
            }
            List<PgSession> all = new ArrayList<>(Promise.all(group.loop(0), sessions).join(WAIT));
            all.add(first);
            assertThat(all.stream().map(PgSession::processId).distinct()).hasSize(4);
            all.forEach(PgSession::release);
            assertThat(pg.metrics().created()).isEqualTo(4);
            assertThat(pg.metrics().keyDerivations()).isEqualTo(1); // PBKDF2 once, for the first

            pg.close().join(WAIT);
            pg = PgClient.create(group, PgTesting.options(db).user("ev_scram" + suffix).password(PASSWORD));
            assertThat(pg.query("SELECT 1").join(WAIT).size()).isEqualTo(1);
            assertThat(pg.metrics().keyDerivations()).isEqualTo(1); // a new client has its own cache
        } finally {
            pg.close().join(WAIT);
        }
    }

    @Test
    void sslModesThatNeedTlsAreRefusedBeforeAnyCredentialIsSent() {
        PgClient pg = PgClient.create(group, PgTesting.options(db).sslMode(SslMode.REQUIRE));
        try {
            assertThatThrownBy(() -> pg.query("SELECT 1").join(WAIT)).isInstanceOfSatisfying(PgException.class, e -> {
                assertThat(e.sqlState()).isEqualTo("08001");
                assertThat(e.getMessage()).contains("sslmode=require");
            });
        } finally {
            pg.close().join(WAIT);
        }
        PgClient prefer = PgClient.create(group, PgTesting.options(db).sslMode(SslMode.PREFER));
        try {
            assertThat(prefer.query("SELECT 1").join(WAIT).size()).isEqualTo(1);
        } finally {
            prefer.close().join(WAIT);
        }
    }
}
