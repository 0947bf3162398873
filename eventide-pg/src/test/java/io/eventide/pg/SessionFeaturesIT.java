package io.eventide.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.Promise;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Transactions and savepoints, row streams and COPY with backpressure, LISTEN/NOTIFY, cancel. */
class SessionFeaturesIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    static String db;
    static LoopGroup group;
    static EventLoop loop;
    static PgClient pg;

    @BeforeAll
    static void setUp() {
        db = PgTesting.createDatabase("evsess");
        group = LoopGroup.create(1);
        loop = group.loop(0);
        pg = PgClient.create(group, PgTesting.options(db).maxSize(3).fetchSize(500));
        pg.script("CREATE TABLE account (id int PRIMARY KEY, balance int NOT NULL CHECK (balance >= 0));"
                + "INSERT INTO account VALUES (1, 100), (2, 0);"
                + "CREATE TABLE big AS SELECT g AS id, md5(g::text) AS h FROM generate_series(1, 200000) g;"
                + "CREATE TABLE sink (id int, name text)").join(WAIT);
    }

    @AfterAll
    static void tearDown() {
        pg.close().join(WAIT);
        group.close(Duration.ofSeconds(5)).join();
        PgTesting.dropDatabase(db);
    }

    private static long balance(int id) {
        return pg.query("SELECT balance FROM account WHERE id = $1", id).join(WAIT).first().getLong(0);
    }

    @Test
    void transactionCommitsOnSuccessAndRollsBackOnFailure() {
        Integer moved = pg.<Integer>transaction(tx -> tx.query("UPDATE account SET balance = balance - 30 WHERE id = 1")
                .flatMap(r -> tx.query("UPDATE account SET balance = balance + 30 WHERE id = 2"))
                .map(r -> 30)).join(WAIT);
        assertThat(moved).isEqualTo(30);
        assertThat(balance(1)).isEqualTo(70);
        assertThatThrownBy(() -> pg.transaction(tx -> tx.query("UPDATE account SET balance = balance + 1000 WHERE id = 2")
                .flatMap(r -> tx.query("UPDATE account SET balance = balance - 1000 WHERE id = 1"))).join(WAIT))
                .isInstanceOfSatisfying(PgException.class, e -> assertThat(e.sqlState()).isEqualTo("23514"));
        assertThat(balance(2)).isEqualTo(30); // the first update was rolled back
    }

    @Test
    void savepointsUndoPartOfATransaction() {
        pg.transaction(tx -> tx.query("UPDATE account SET balance = balance + 1 WHERE id = 2")
                .flatMap(r -> tx.savepoint("sp 1"))
                .flatMap(v -> tx.query("UPDATE account SET balance = -5 WHERE id = 2")
                        .recoverWith(e -> tx.rollbackTo("sp 1").map(x -> null)))
                .flatMap(v -> tx.releaseSavepoint("sp 1"))).join(WAIT);
        assertThat(balance(2)).isEqualTo(31);
        pg.query("UPDATE account SET balance = 30 WHERE id = 2").join(WAIT);
    }

    @Test
    void aSessionGivenBackInsideATransactionIsRolledBackBeforeReuse() {
        long before = balance(1);
        PgSession s = pg.session().join(WAIT);
        onLoop(() -> s.begin().flatMap(v -> s.query("UPDATE account SET balance = 999 WHERE id = 1"))
                .map(r -> s.transactionStatus())).join(WAIT);
        s.release();
        for (int i = 0; i < 3; i++) { // whichever connection answers, nobody sees 999 or an open transaction
            PgSession t = pg.session().join(WAIT);
            assertThat(t.transactionStatus()).isEqualTo('I');
            t.release();
        }
        assertThat(balance(1)).isEqualTo(before);
    }

    @Test
    void streamDeliversAMillionRowResultInBoundedBatchesWithPauseAndResume() {
        AtomicLong rows = new AtomicLong();
        AtomicLong maxWhilePaused = new AtomicLong();
        AtomicLong pausedAt = new AtomicLong(-1);
        CompletableFuture<Long> done = new CompletableFuture<>();
        loop.execute(() -> {
            PgRowStream[] s = new PgRowStream[1];
            s[0] = pg.stream("SELECT id, h FROM big ORDER BY id", new Object[0], r -> {
                long n = rows.incrementAndGet();
                assertThat(r.getInteger(0)).isEqualTo((int) n);
                if (pausedAt.get() >= 0) {
                    maxWhilePaused.set(Math.max(maxWhilePaused.get(), n - pausedAt.get()));
                }
                if (n % 50_000 == 0) {
                    pausedAt.set(n);
                    s[0].pause();
                    loop.setTimeout(20, () -> {
                        pausedAt.set(-1);
                        s[0].resume();
                    });
                }
            });
            s[0].done().whenComplete((v, e) -> {
                if (e != null) {
                    done.completeExceptionally(e);
                } else {
                    done.complete(v);
                }
            });
        });
        assertThat(done.join()).isEqualTo(200_000L);
        assertThat(maxWhilePaused.get()).as("rows delivered while paused").isZero();
        assertThat(pg.query("SELECT 1").join(WAIT).size()).isEqualTo(1); // the connection went back clean
    }

    @Test
    void streamClosedEarlyEndsCleanly() {
        AtomicLong rows = new AtomicLong();
        CompletableFuture<Long> done = new CompletableFuture<>();
        loop.execute(() -> {
            PgRowStream[] s = new PgRowStream[1];
            s[0] = pg.stream("SELECT id FROM big WHERE id > $1", new Object[] {0}, r -> {
                if (rows.incrementAndGet() == 1200) {
                    s[0].close();
                }
            });
            s[0].done().whenComplete((v, e) -> done.complete(v));
        });
        assertThat(done.join()).isBetween(1200L, 1500L); // the batch in flight is dropped, not delivered
        assertThat(pg.query("SELECT count(*) FROM big").join(WAIT).first().getLong(0)).isEqualTo(200_000L);
    }

    @Test
    void aSessionReleasedMidStreamHasTheStreamClosedAndServesTheNextUser() {
        AtomicLong rows = new AtomicLong();
        PgSession s = pg.session().join(WAIT);
        int pid = s.processId();
        Long delivered = onLoop(() -> {
            PgRowStream st = s.stream("SELECT id FROM big", new Object[0], r -> rows.incrementAndGet());
            s.release(); // mid-stream: the portal is closed, then the connection goes back
            return st.done();
        }).join(WAIT);
        assertThat(delivered).isLessThan(200_000L);
        for (int i = 0; i < 3; i++) {
            PgSession t = pg.session().join(WAIT);
            if (t.processId() == pid) {
                assertThat(onLoop(() -> t.query("SELECT 42")).join(WAIT).first().getInteger(0)).isEqualTo(42);
            }
            t.release();
        }
    }

    @Test
    void copyInWithBackpressureThenCopyOutWithPause() {
        int total = 100_000;
        Long copied = onLoop(() -> pg.copyIn("COPY sink (id, name) FROM STDIN").flatMap(copy -> {
            int[] next = {0};
            Runnable pump = () -> {
                while (next[0] < total) {
                    int i = next[0]++;
                    if (!copy.write(i + "\tname " + i + "\n")) {
                        return; // onDrain resumes
                    }
                }
                copy.end();
            };
            copy.onDrain(pump);
            pump.run();
            return copy.done();
        })).join(WAIT);
        assertThat(copied).isEqualTo(total);
        AtomicLong bytes = new AtomicLong();
        AtomicLong lines = new AtomicLong();
        Long out = onLoop(() -> {
            PgCopyOut[] c = new PgCopyOut[1];
            c[0] = pg.copyOut("COPY sink TO STDOUT", data -> {
                bytes.addAndGet(data.remaining());
                byte[] b = new byte[data.remaining()];
                data.get(b);
                lines.addAndGet(new String(b, StandardCharsets.UTF_8).chars().filter(ch -> ch == '\n').count());
                if (lines.get() == 10_000) {
                    c[0].pause();
                    loop.setTimeout(20, c[0]::resume);
                }
            });
            return c[0].done();
        }).join(WAIT);
        assertThat(out).isEqualTo(total);
        assertThat(lines.get()).isEqualTo(total);
        assertThat(bytes.get()).isGreaterThan(total * 8L);
    }

    @Test
    void copyInAbortedOrRefusedLeavesNothing() {
        assertThatThrownBy(() -> onLoop(() -> pg.copyIn("COPY sink FROM STDIN").flatMap(copy -> {
            copy.write(ByteBuffer.wrap("1\tx\n".getBytes(StandardCharsets.UTF_8)));
            return copy.abort("changed my mind");
        })).join(WAIT)).isInstanceOfSatisfying(PgException.class, e -> assertThat(e.sqlState()).isEqualTo("57014"));
        assertThatThrownBy(() -> onLoop(() -> pg.copyIn("COPY sink FROM STDIN").flatMap(copy -> {
            copy.write("not-a-number\tx\n");
            return copy.end();
        })).join(WAIT)).isInstanceOfSatisfying(PgException.class, e -> assertThat(e.sqlState()).isEqualTo("22P02"));
        assertThat(pg.query("SELECT count(*) FROM sink WHERE name = 'x'").join(WAIT).first().getLong(0)).isZero();
    }

    @Test
    void listenDeliversNotificationsAndListensAgainAfterTheConnectionIsKilled() throws Exception {
        List<PgNotification> got = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        PgSubscription sub = pg.listen("ev chan", n -> {
            assertThat(loop.inLoop()).isTrue();
            got.add(n);
            (got.size() == 1 ? first : second).complete(null);
        }).join(WAIT);
        pg.query("SELECT pg_notify('ev chan', 'one')").join(WAIT);
        first.join();
        assertThat(got.get(0).payload()).isEqualTo("one");
        // Kill the LISTEN connection: the client reconnects and LISTENs again by itself.
        int killed = 0;
        while (killed == 0) {
            RowSet r = pg.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' "
                    + "AND datname = current_database()").join(WAIT);
            killed = r.size();
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!second.isDone() && System.nanoTime() < deadline) {
            pg.query("SELECT pg_notify('ev chan', 'two')").join(WAIT); // repeated until the new LISTEN is in place
            try {
                second.get(50, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // not yet listening again: notify again
            }
        }
        assertThat(second).isCompleted();
        assertThat(got.get(1).payload()).isEqualTo("two");
        sub.close();
    }

    @Test
    void cancellingARunningStatementFailsItWith57014AndTheConnectionServesOn() {
        Promise<RowSet> slow = pg.query("SELECT pg_sleep(30)");
        boolean found = false;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!found && System.nanoTime() < deadline) {
            found = pg.query("SELECT 1 FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'")
                    .join(WAIT).size() == 1;
        }
        assertThat(pg.cancel(slow).join(WAIT)).isTrue();
        assertThatThrownBy(() -> slow.join(WAIT)).isInstanceOfSatisfying(PgException.class,
                e -> assertThat(e.sqlState()).isEqualTo("57014"));
        assertThat(pg.query("SELECT 2").join(WAIT).first().getInteger(0)).isEqualTo(2);
    }

    @Test
    void aQueryTimeoutCancelsTheStatement() {
        PgClient limited = PgClient.create(group, PgTesting.options(db).maxSize(1).queryTimeout(Duration.ofMillis(300)));
        try {
            assertThatThrownBy(() -> limited.query("SELECT pg_sleep(20)").join(WAIT))
                    .isInstanceOfSatisfying(PgException.class, e -> assertThat(e.sqlState()).isEqualTo("57014"));
            assertThat(limited.query("SELECT 3").join(WAIT).first().getInteger(0)).isEqualTo(3);
        } finally {
            limited.close().join(WAIT);
        }
    }

    private static <T> Promise<T> onLoop(java.util.function.Supplier<Promise<T>> work) {
        Promise<T> p = loop.promise();
        loop.execute(() -> work.get().whenComplete((v, e) -> {
            if (e != null) {
                p.reject(e);
            } else {
                p.resolve(v);
            }
        }));
        return p;
    }
}
