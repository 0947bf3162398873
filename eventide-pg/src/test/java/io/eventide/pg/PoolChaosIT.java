package io.eventide.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.core.LoopGroup;
import io.eventide.core.OverloadException;
import io.eventide.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pool under pressure and failure: bounded overload, idle and lifetime retirement, retirement
 * on 57P01, a backend killed mid-pipeline, and a server restart.
 */
class PoolChaosIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    static String db;
    static LoopGroup group;

    @BeforeAll
    static void setUp() {
        db = PgTesting.createDatabase("evpool");
        group = LoopGroup.create(1);
    }

    @AfterAll
    static void tearDown() {
        group.close(Duration.ofSeconds(5)).join();
        PgTesting.dropDatabase(db);
    }

    /** Counts how often each promise settles: must be exactly once each. */
    private static final class Settled {
        final ConcurrentHashMap<Integer, AtomicInteger> times = new ConcurrentHashMap<>();
        final List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger ok = new AtomicInteger();

        <T> Promise<T> track(int id, Promise<T> p) {
            times.put(id, new AtomicInteger());
            return p.whenComplete((v, e) -> {
                times.get(id).incrementAndGet();
                if (e != null) {
                    failures.add(e);
                } else {
                    ok.incrementAndGet();
                }
            });
        }

        void assertEachSettledOnce(int n) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (times.values().stream().mapToInt(AtomicInteger::get).sum() < n && System.nanoTime() < deadline) {
                Thread.yield();
            }
            assertThat(times).hasSize(n);
            assertThat(times.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
        }
    }

    @Test
    void aTenfoldBurstPastCapacityIsRefusedWithOverloadNotQueued() {
        PgClient pg = PgClient.create(group, PgTesting.options(db).maxSize(2).pipelineLimit(1).maxWaiters(20)
                .acquireTimeout(Duration.ofMillis(200)));
        try {
            int capacity = 2 + 20;
            Settled s = new Settled();
            int[] maxWaiters = {0};
            for (int i = 0; i < capacity * 10; i++) {
                s.track(i, pg.query("SELECT pg_sleep(0.5)"));
                maxWaiters[0] = Math.max(maxWaiters[0], pg.metrics().waiters());
            }
            s.assertEachSettledOnce(capacity * 10);
            assertThat(s.ok.get()).as("statements that ran").isBetween(2, 4);
            assertThat(s.failures).allSatisfy(e -> assertThat(e).isInstanceOf(OverloadException.class));
            assertThat(pg.metrics().overloaded()).isEqualTo(s.failures.size());
            assertThat(pg.metrics().waiters()).isZero();
            assertThat(maxWaiters[0]).isLessThanOrEqualTo(20);
            assertThat(pg.metrics().acquireTime().count()).isPositive();
            assertThat(pg.query("SELECT 1").join(WAIT).size()).isEqualTo(1);
        } finally {
            pg.close().join(WAIT);
        }
    }

    @Test
    void aWaitingSessionGetsAConnectionThatDrainsForIt() {
        PgClient pg = PgClient.create(group, PgTesting.options(db).maxSize(1));
        try {
            pid(pg);
            List<Promise<RowSet>> before = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                before.add(pg.query("SELECT pg_sleep(0.01), $1::int", i)); // pipelined on the only connection
            }
            Promise<PgSession> session = pg.session();
            Promise<RowSet> after = pg.query("SELECT 'after'"); // must not jump onto the draining connection
            PgSession s = session.join(WAIT);
            assertThat(before).allSatisfy(p -> assertThat(p.isDone()).isTrue()); // the session came after them
            assertThat(after.isDone()).isFalse(); // and before the statement issued after it
            s.release();
            assertThat(after.join(WAIT).first().getString(0)).isEqualTo("after");
        } finally {
            pg.close().join(WAIT);
        }
    }

    @Test
    void idleConnectionsCloseAndOldOnesRetire() {
        PgClient pg = PgClient.create(group, PgTesting.options(db).idleTimeout(Duration.ofMillis(200))
                .maxLifetime(Duration.ofMillis(400)).maxSize(1));
        try {
            int pid = pid(pg);
            int other = pid;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (other == pid && System.nanoTime() < deadline) {
                other = pid(pg); // busy all along: retired by lifetime, replaced
            }
            assertThat(other).isNotEqualTo(pid);
            while (pg.metrics().size() > 0 && System.nanoTime() < deadline) {
                Thread.yield(); // idle: closed after the idle timeout
            }
            assertThat(pg.metrics().size()).isZero();
            assertThat(pg.metrics().closed()).isGreaterThanOrEqualTo(2);
        } finally {
            pg.close().join(WAIT);
        }
    }

    private static int pid(PgClient pg) {
        return pg.query("SELECT pg_backend_pid()").join(WAIT).first().getInteger(0);
    }

    @Test
    void aConnectionTerminatedByTheAdministratorIsRetiredAndReplaced() {
        PgClient pg = PgClient.create(group, PgTesting.options(db).maxSize(1));
        try {
            int pid = pid(pg);
            PgTesting.exec("postgres", "SELECT pg_terminate_backend(" + pid + ")");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (pg.metrics().closed() == 0 && System.nanoTime() < deadline) {
                Thread.yield(); // the FATAL 57P01 arrives unsolicited and closes it
            }
            assertThat(pg.metrics().closed()).isEqualTo(1);
            assertThat(pid(pg)).isNotEqualTo(pid);
        } finally {
            pg.close().join(WAIT);
        }
    }

    @Test
    void aReadOnlyTransactionErrorRetiresTheConnection() {
        PgClient pg = PgClient.create(group, PgTesting.options(db).maxSize(1));
        try {
            int pid = pid(pg);
            pg.query("SET default_transaction_read_only = on").join(WAIT);
            assertThatThrownBy(() -> pg.query("CREATE TABLE ro_probe (a int)").join(WAIT))
                    .isInstanceOfSatisfying(PgException.class, e -> assertThat(e.sqlState()).isEqualTo("25006"));
            // 25006 after a failover means the session is on a replica now: never reused.
            assertThat(pid(pg)).isNotEqualTo(pid);
        } finally {
            pg.close().join(WAIT);
        }
    }

    @Test
    void aBackendKilledMidPipelineSettlesEveryStatementOnceAndThePoolServesOn() {
        PgClient pg = PgClient.create(group, PgTesting.options(db).maxSize(1));
        try {
            int pid = pid(pg);
            Settled s = new Settled();
            for (int i = 0; i < 300; i++) {
                s.track(i, pg.query("SELECT pg_sleep(0.002), $1::int", i));
            }
            PgTesting.exec("postgres", "SELECT pg_terminate_backend(" + pid + ")");
            s.assertEachSettledOnce(300);
            assertThat(s.failures).isNotEmpty().allSatisfy(e -> assertThat(e).isInstanceOfSatisfying(PgException.class,
                    pe -> assertThat(pe.sqlState()).isIn("57P01", "08006")));
            assertThat(pid(pg)).isNotEqualTo(pid);
        } finally {
            pg.close().join(WAIT);
        }
    }

    @Test
    void aServerRestartFailsWhatWasInFlightOnceAndThePoolServesWithinASecondOfTheReturn() {
        PgClient pg = PgClient.create(group, PgTesting.options(db).maxSize(4));
        try {
            pid(pg);
            Settled s = new Settled();
            for (int i = 0; i < 40; i++) {
                s.track(i, pg.query("SELECT pg_sleep(0.2)"));
            }
            int rc = PgTesting.run(List.of("pg_ctlcluster", "--skip-systemctl-redirect", "--mode=fast",
                    PgTesting.clusterVersion(), "main", "restart"), 180);
            assertThat(rc).as("pg_ctlcluster restart exit status").isZero();
            long back = System.nanoTime();
            s.assertEachSettledOnce(40);
            RowSet r = null;
            while (r == null) {
                try {
                    r = pg.query("SELECT 1").join(WAIT);
                } catch (PgException e) {
                    assertThat(System.nanoTime() - back).as("still failing: " + e).isLessThan(Duration.ofSeconds(1).toNanos());
                }
            }
            assertThat(System.nanoTime() - back).isLessThan(Duration.ofSeconds(1).toNanos());
        } finally {
            pg.close().join(WAIT);
            if (!PgTesting.answers()) {
                PgTesting.startCluster();
            }
            PgTesting.waitForServer(60_000);
        }
    }

    @Test
    void anUnreachableServerFailsFastWith08001() {
        PgClient pg = PgClient.create(group, PgTesting.options(db).port(1).connectTimeout(Duration.ofSeconds(2)));
        try {
            assertThatThrownBy(() -> pg.query("SELECT 1").join(WAIT)).isInstanceOfSatisfying(PgException.class,
                    e -> assertThat(e.sqlState()).isEqualTo("08001"));
        } finally {
            pg.close().join(WAIT);
        }
    }
}
