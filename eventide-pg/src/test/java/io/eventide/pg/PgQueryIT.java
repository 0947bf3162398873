package io.eventide.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.core.LoopGroup;
import io.eventide.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Statements against the real server: simple and extended protocol, pipelining, errors, the cache. */
class PgQueryIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    static String db;
    static LoopGroup group;
    static PgClient pg;
    static final List<PgNotice> notices = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void setUp() {
        db = PgTesting.createDatabase("evq");
        group = LoopGroup.create(2);
        pg = PgClient.create(group, PgTesting.options(db).maxSize(2).statementCacheSize(4).onNotice(notices::add));
        pg.script("CREATE TABLE item (id int PRIMARY KEY, name text NOT NULL, price numeric(10,2));"
                + "INSERT INTO item SELECT g, 'item ' || g, g * 1.5 FROM generate_series(1, 100) g").join(WAIT);
    }

    @AfterAll
    static void tearDown() {
        pg.close().join(WAIT);
        group.close(Duration.ofSeconds(5)).join();
        PgTesting.dropDatabase(db);
    }

    @Test
    void queryWithParameters() {
        RowSet rs = pg.query("SELECT id, name, price FROM item WHERE id = $1", 7).join(WAIT);
        assertThat(rs.size()).isEqualTo(1);
        Row r = rs.first();
        assertThat(r.getInteger("id")).isEqualTo(7);
        assertThat(r.getString(1)).isEqualTo("item 7");
        assertThat(r.getBigDecimal(2)).isEqualByComparingTo("10.50");
        assertThat(rs.tag()).isEqualTo("SELECT 1");
        // Second run: the statement is cached and described, results come in binary: same values.
        Row again = pg.query("SELECT id, name, price FROM item WHERE id = $1", 7).join(WAIT).first();
        assertThat(again.toString()).isEqualTo(r.toString());
    }

    @Test
    void pipelinedQueriesAllAnswerInOrder() {
        List<Promise<RowSet>> ps = new ArrayList<>();
        for (int i = 1; i <= 500; i++) {
            // Half of them unseen SQL text: Parse+Describe+Bind+Execute go out together.
            String sql = i % 2 == 0 ? "SELECT id, name FROM item WHERE id = $1" : "SELECT id, name, " + i + " AS k FROM item WHERE id = $1";
            ps.add(pg.query(sql, (i % 100) + 1));
        }
        List<RowSet> all = Promise.all(group.loop(0), ps).join(WAIT);
        for (int i = 1; i <= 500; i++) {
            assertThat(all.get(i - 1).first().getInteger(0)).isEqualTo((i % 100) + 1);
        }
    }

    @Test
    void errorsCarryEveryFieldAndDoNotDisturbTheNextStatement() {
        Promise<RowSet> bad = pg.query("INSERT INTO item (id, name) VALUES ($1, $2)", 1, "dup").onFailure(e -> { });
        Promise<RowSet> good = pg.query("SELECT count(*) FROM item");
        assertThatThrownBy(() -> bad.join(WAIT)).isInstanceOfSatisfying(PgException.class, e -> {
            assertThat(e.sqlState()).isEqualTo("23505");
            assertThat(e.isFromServer()).isTrue();
            assertThat(e.constraint()).isEqualTo("item_pkey");
            assertThat(e.table()).isEqualTo("item");
            assertThat(e.detail()).contains("(id)=(1)");
            assertThat(e.severity()).isEqualTo("ERROR");
            assertThat(e.routine()).isNotBlank();
        });
        assertThat(good.join(WAIT).first().getLong(0)).isEqualTo(100L);
    }

    @Test
    void syntaxErrorOfAnUnseenStatementFailsEveryPipelinedUseWithTheParseError() {
        Promise<RowSet> a = pg.query("SELEC 1").onFailure(e -> { }); // joined below: handled
        Promise<RowSet> b = pg.query("SELEC 1").onFailure(e -> { });
        for (Promise<RowSet> p : List.of(a, b)) {
            assertThatThrownBy(() -> p.join(WAIT)).isInstanceOfSatisfying(PgException.class,
                    e -> assertThat(e.sqlState()).isEqualTo("42601"));
        }
        assertThat(pg.query("SELECT 1").join(WAIT).first().getInteger(0)).isEqualTo(1);
    }

    @Test
    void batchRunsUnderOneSyncAndFailsAsAWhole() {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(new Object[] {1000 + i, "b" + i});
        }
        List<RowSet> r = pg.batch("INSERT INTO item (id, name) VALUES ($1, $2)", rows).join(WAIT);
        assertThat(r).hasSize(10).allSatisfy(rs -> assertThat(rs.rowCount()).isEqualTo(1));
        rows.clear();
        rows.add(new Object[] {2000, "ok"});
        rows.add(new Object[] {1000, "duplicate"});
        assertThatThrownBy(() -> pg.batch("INSERT INTO item (id, name) VALUES ($1, $2)", rows).join(WAIT))
                .isInstanceOf(PgException.class);
        // One implicit transaction: the first insert was rolled back with the second.
        assertThat(pg.query("SELECT count(*) FROM item WHERE id = 2000").join(WAIT).first().getLong(0)).isZero();
        pg.query("DELETE FROM item WHERE id >= 1000").join(WAIT);
    }

    @Test
    void scriptReturnsOneResultPerStatementAndEmptyQueryIsFine() {
        List<RowSet> r = pg.script("SELECT 1 AS a; SELECT 'x' AS b, 2.5::float8 AS c; ").join(WAIT);
        assertThat(r).hasSize(2);
        assertThat(r.get(1).first().get(1)).isEqualTo(2.5);
        assertThat(pg.query("").join(WAIT).tag()).isEmpty();
    }

    @Test
    void cacheEvictsLeastRecentlyUsedAndSurvivesResultTypeChange() {
        // Cache of 4 per connection: 12 distinct statements evict and close older ones; all still answer.
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 12; i++) {
                assertThat(pg.query("SELECT " + i + " + $1::int AS v", 1).join(WAIT).first().getInteger(0)).isEqualTo(i + 1);
            }
        }
        pg.script("CREATE TABLE shape (a int); INSERT INTO shape VALUES (1)").join(WAIT);
        for (int i = 0; i < 4; i++) { // warm the statement on both connections
            pg.query("SELECT * FROM shape").join(WAIT);
        }
        pg.script("ALTER TABLE shape ADD COLUMN b text DEFAULT 'new'").join(WAIT);
        // "cached plan must not change result type": dropped from the cache and sent again.
        for (int i = 0; i < 4; i++) {
            RowSet rs = pg.query("SELECT * FROM shape").join(WAIT);
            assertThat(rs.columns().size()).isEqualTo(2);
            assertThat(rs.first().getString(1)).isEqualTo("new");
        }
    }

    @Test
    void noticesAndParameterStatusArriveAtAnyTime() {
        notices.clear();
        pg.script("DO $$ BEGIN RAISE NOTICE 'hello %', 42; END $$").join(WAIT);
        assertThat(notices).anySatisfy(n -> {
            assertThat(n.message()).isEqualTo("hello 42");
            assertThat(n.severity()).isEqualTo("NOTICE");
        });
        pg.session().flatMap(s -> s.script("SET application_name = 'renamed'").map(r -> {
            String v = s.serverParameters().get("application_name");
            s.release();
            return v;
        })).join(WAIT);
        assertThat(pg.session().map(s -> {
            String v = s.serverParameters().get("server_version");
            s.release();
            return v;
        }).join(WAIT)).startsWith(PgTesting.clusterVersion());
    }

    @Test
    void aPipelineLargerThanBothSocketBuffersDoesNotDeadlock() {
        // 2,000 statements of 16 KiB each way: 32 MiB written while 32 MiB come back. A client that
        // stopped reading while its writes were blocked would wait for a server waiting for it.
        String big = "x".repeat(16 * 1024);
        List<Promise<RowSet>> ps = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            ps.add(pg.query("SELECT $1::text || $2::int", big, i));
        }
        List<RowSet> all = Promise.all(group.loop(0), ps).join(Duration.ofSeconds(120));
        assertThat(all.get(1999).first().getString(0)).endsWith("x1999").hasSize(16 * 1024 + 4);
    }

    @Test
    void resultsArriveOnTheCallersLoopThroughThatLoopsPool() {
        for (int i = 0; i < 2; i++) {
            io.eventide.core.EventLoop loop = group.loop(i);
            String name = loop.name();
            Promise<String> where = loop.promise();
            loop.execute(() -> pg.query("SELECT 1").whenComplete((r, e) -> where.resolve(Thread.currentThread().getName())));
            assertThat(where.join(WAIT)).isEqualTo(name);
        }
    }

    @Test
    void unmappableParameterIsAProgrammingError() {
        assertThatThrownBy(() -> pg.query("SELECT $1", new Object())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pg.query("SELECT 1", new Object[70_000])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65535");
    }
}
