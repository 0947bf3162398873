package io.eventide.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.LoopGroup;
import io.eventide.core.Promise;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What goes over the wire, seen by a recording proxy between the client and the server: an unseen
 * statement leaves as Parse, Describe, Bind, Execute, Sync before the server has answered anything
 * (no stall on first prepare); a cached one as Bind, Execute, Sync. The server sends nothing before
 * a Sync, and the proxy can hold its replies back, so the order in the log is causal, not a matter
 * of timing.
 */
class PipelineWireIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    static String db;
    static LoopGroup group;
    static ServerSocket proxy;
    static final List<String> log = new ArrayList<>();
    /** Backend messages are held back until the client has sent this many Syncs (guarded by log). */
    static int gate;
    static int syncs;

    @BeforeAll
    static void setUp() throws IOException {
        db = PgTesting.createDatabase("evwire");
        group = LoopGroup.create(1);
        proxy = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(PipelineWireIT::acceptLoop, "pg-recording-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    @AfterAll
    static void tearDown() throws IOException {
        proxy.close();
        group.close(Duration.ofSeconds(5)).join();
        PgTesting.dropDatabase(db);
    }

    private static void acceptLoop() {
        while (!proxy.isClosed()) {
            try {
                Socket client = proxy.accept();
                Socket server = new Socket(PgTesting.HOST, PgTesting.PORT);
                pump(client.getInputStream(), server.getOutputStream(), "F", true);
                pump(server.getInputStream(), client.getOutputStream(), "B", false);
            } catch (IOException e) {
                return; // proxy closed
            }
        }
    }

    /** Copies one direction message by message, logging each type before forwarding it. */
    private static void pump(InputStream in, OutputStream out, String side, boolean startup) {
        Thread t = new Thread(() -> {
            try (DataInputStream d = new DataInputStream(in)) {
                boolean untyped = startup;
                while (true) {
                    int type = untyped ? -1 : d.readUnsignedByte();
                    int len = d.readInt();
                    byte[] body = new byte[len - 4];
                    d.readFully(body);
                    synchronized (log) {
                        if (side.equals("B")) {
                            long end = System.nanoTime() + 10_000_000_000L; // hang guard: a stalling client fails the assertions
                            while (syncs < gate && System.nanoTime() < end) {
                                log.wait(100);
                            }
                        }
                        log.add(side + (untyped ? "startup" : String.valueOf((char) type)));
                        if (side.equals("F") && type == 'S') {
                            syncs++;
                            log.notifyAll();
                        }
                    }
                    if (!untyped) {
                        out.write(type);
                    }
                    out.write(new byte[] {(byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len});
                    out.write(body);
                    out.flush();
                    untyped = false;
                }
            } catch (IOException e) {
                // one side closed: this direction is done
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pg-proxy-" + side);
        t.setDaemon(true);
        t.start();
    }

    private static List<String> since(int from) {
        synchronized (log) {
            return new ArrayList<>(log.subList(from, log.size()));
        }
    }

    private static int mark() {
        synchronized (log) {
            return log.size();
        }
    }

    @Test
    void anUnseenStatementGoesOutWholeAndACachedOneAsBindExecute() {
        PgClient pg = PgClient.create(group, PgTesting.options(db).port(proxy.getLocalPort()).maxSize(1));
        try {
            pg.query("SELECT 1").join(WAIT); // connected, startup done
            int m = mark();
            assertThat(pg.query("SELECT $1::int + 100", 1).join(WAIT).first().getInteger(0)).isEqualTo(101);
            assertThat(since(m)).startsWith("FP", "FD", "FB", "FE", "FS", "B1", "Bt", "BT", "B2", "BD", "BC", "BZ");
            m = mark();
            assertThat(pg.query("SELECT $1::int + 100", 2).join(WAIT).first().getInteger(0)).isEqualTo(102);
            assertThat(since(m)).containsExactly("FB", "FE", "FS", "B2", "BD", "BC", "BZ");
            // Three unseen statements issued together all leave before any answer: the proxy holds the
            // server's replies until three Syncs went by, so a client that waited for a Describe
            // reply before sending the rest would never get there.
            m = mark();
            synchronized (log) {
                gate = syncs + 3;
            }
            List<Promise<RowSet>> ps = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ps.add(pg.query("SELECT $1::int * " + (i + 2), 10));
            }
            List<RowSet> r = Promise.all(group.loop(0), ps).join(WAIT);
            assertThat(r.get(2).first().getInteger(0)).isEqualTo(40);
            List<String> seen = since(m);
            assertThat(seen.subList(0, 15)).allMatch(s -> s.startsWith("F"));
            assertThat(seen.subList(0, 15)).containsExactly("FP", "FD", "FB", "FE", "FS", "FP", "FD", "FB", "FE", "FS",
                    "FP", "FD", "FB", "FE", "FS");
        } finally {
            pg.close().join(WAIT);
        }
    }
}
