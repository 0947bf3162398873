package io.eventide.cluster;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keep-alive HTTP/1.1 clients over raw sockets, like wrk: each sends GET /pid, reads the response,
 * and reconnects only when told {@code Connection: close}. Nothing is retried: every failure
 * (refused, reset, closed before a whole response) counts as an error, and every status other than
 * 200 as a bad response. Each response's body is the pid of the worker that answered.
 */
final class LoadClients implements AutoCloseable {
    final AtomicLong ok = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong bad = new AtomicLong();
    final AtomicLong reconnects = new AtomicLong();
    final Map<String, AtomicLong> byPid = new ConcurrentHashMap<>();
    final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Per client: the pid its current connection reached, and errors seen while on each pid. */
    final Map<String, AtomicLong> errorsByPid = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stop;
    private final int port;

    LoadClients(int port, int clients) {
        this.port = port;
        for (int i = 0; i < clients; i++) {
            threads.add(Thread.ofVirtual().start(this::run));
        }
    }

    private void run() {
        byte[] request = "GET /pid HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        String pid = "?";
        int served = 0;
        while (!stop) {
            served = 0;
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(30_000);
                OutputStream out = s.getOutputStream();
                InputStream in = new BufferedInputStream(s.getInputStream());
                boolean keep = true;
                while (keep && !stop) {
                    out.write(request);
                    Response r = Response.read(in);
                    pid = r.body();
                    served++;
                    keep = !r.close();
                    if (r.status() == 200) {
                        ok.incrementAndGet();
                        byPid.computeIfAbsent(pid, k -> new AtomicLong()).incrementAndGet();
                    } else {
                        bad.incrementAndGet();
                        note("status " + r.status() + " from " + pid);
                    }
                }
                reconnects.incrementAndGet();
            } catch (IOException e) {
                errors.incrementAndGet();
                errorsByPid.computeIfAbsent(pid, k -> new AtomicLong()).incrementAndGet();
                note(e + " (last pid " + pid + ", after " + served + " responses on this connection)");
                pid = "?";
            }
        }
    }

    private void note(String failure) {
        if (failures.size() < 20) {
            failures.add(failure);
        }
    }

    /** @return requests answered 200 so far */
    long ok() {
        return ok.get();
    }

    /** Stops every client and waits for them (bounded). */
    void stop() {
        stop = true;
        try {
            for (Thread t : threads) {
                t.join(60_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** One response: status, whether the server closes after it, the body. */
    record Response(int status, boolean close, String body) {
        static Response read(InputStream in) throws IOException {
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            boolean close = false;
            int length = 0;
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                String lower = h.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                } else if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(h.substring(15).trim());
                }
            }
            byte[] body = in.readNBytes(length);
            if (body.length < length) {
                throw new IOException("connection closed in the middle of a response body");
            }
            return new Response(status, close, new String(body, StandardCharsets.UTF_8));
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed before a whole response head (" + b + ")");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }
    }
}
