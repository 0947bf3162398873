package io.eventide.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A mixed idle/burst client for the nginx tests, run inside a network namespace
 * ({@code ip netns exec ns java ... NsLoad BASE STOPFILE MAXSECONDS}): bursts of 1 to 64 concurrent
 * requests (GET /pid, and POST /echo, which nginx never retries), separated by idle gaps of up to
 * 1.5 s, until STOPFILE exists. With a fourth argument LONGIDLEMS, every tenth gap lasts from 55 s to
 * that long instead: pooled connections then sit idle past nginx's keepalive_timeout (60 s), which
 * is where a server with a shorter idle timeout answers 502s. Prints {@code bursts=N} as it goes
 * and one {@code RESULT} line.
 */
public final class NsLoad {
    private NsLoad() {
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        Path stop = Path.of(args[1]);
        long end = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
        long longIdle = args.length > 3 ? Long.parseLong(args[3]) : 0;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Map<String, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int bursts = 0;
        long ok = 0;
        while (!Files.exists(stop) && System.nanoTime() < end) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            List<CompletableFuture<String>> burst = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(64); i < n; i++) {
                String body = "payload-" + bursts + "-" + i;
                HttpRequest req = i % 4 == 0
                        ? HttpRequest.newBuilder(base.resolve("/echo")).POST(HttpRequest.BodyPublishers.ofString(body)).build()
                        : HttpRequest.newBuilder(base.resolve("/pid")).build();
                burst.add(http.sendAsync(req, BodyHandlers.ofString()).handle((res, err) -> outcome(req, body, res, err)));
            }
            for (CompletableFuture<String> f : burst) {
                String o = f.join();
                statuses.merge(o.split(" ")[0], 1, Integer::sum);
                if (o.startsWith("200")) {
                    ok++;
                } else if (failures.size() < 20) {
                    failures.add(o);
                }
            }
            System.out.println("bursts=" + (++bursts));
            Thread.sleep(longIdle > 55_000 && bursts % 10 == 0 ? r.nextLong(55_000, longIdle) : r.nextInt(1500));
        }
        System.out.println("RESULT ok=" + ok + " statuses=" + statuses + " failures=" + failures);
    }

    private static String outcome(HttpRequest req, String body, HttpResponse<String> res, Throwable err) {
        if (err != null) {
            return "error " + err;
        }
        if (res.statusCode() != 200) {
            return res.statusCode() + " " + req.method() + " " + req.uri().getPath() + " " + res.body().strip();
        }
        if (req.method().equals("POST") && !res.body().equals(body)) {
            return "mismatch POST body " + res.body();
        }
        return "200";
    }
}
