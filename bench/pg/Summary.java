import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Summarises a bench/pg/run.sh results directory: medians over rounds of results.tsv (HTTP cells)
 * and client.tsv (client loop), ratios to Eventide, and the targets checked.
 *   java bench/pg/Summary.java bench/results/pg-YYYYMMDD-HHMMSS
 */
public class Summary {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        System.out.println("# bench/pg " + dir.getFileName() + "\n");
        Map<String, List<String[]>> http = group(dir.resolve("results.tsv"), 1, 2);
        if (!http.isEmpty()) {
            System.out.println("| server | cell | req/s | vs eventide | p50 ms | p99 ms | CPU µs/req | errors |");
            System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
            for (var e : http.entrySet()) {
                String[] k = e.getKey().split("\t");
                double rps = median(e.getValue(), 3);
                List<String[]> ev = http.get("eventide\t" + k[1]);
                String ratio = ev == null ? "" : String.format("%.2f", rps / median(ev, 3));
                System.out.printf("| %s | %s | %.0f | %s | %.2f | %.2f | %.1f | %.0f |%n", k[0], k[1], rps, ratio,
                        median(e.getValue(), 4), median(e.getValue(), 5), median(e.getValue(), 7), sum(e.getValue(), 6));
            }
            System.out.println();
        }
        Map<String, List<String[]>> client = group(dir.resolve("client.tsv"), 0, 1, 2);
        if (!client.isEmpty()) {
            System.out.println("| client | concurrency | unseen | queries/s | client CPU µs/query | vs eventide | p50 µs | p99 µs |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
            for (var e : client.entrySet()) {
                String[] k = e.getKey().split("\t");
                double cpu = median(e.getValue(), 6);
                List<String[]> ev = client.get("eventide\t" + k[1] + "\t" + k[2]);
                String ratio = ev == null ? "" : String.format("%.2f", cpu / median(ev, 6));
                System.out.printf("| %s | %s | %s | %.0f | %.2f | %s | %.0f | %.0f |%n", k[0], k[1], k[2], median(e.getValue(), 5),
                        cpu, ratio, median(e.getValue(), 7), median(e.getValue(), 8));
            }
            System.out.println();
        }
        targets(http, client);
    }

    static void targets(Map<String, List<String[]>> http, Map<String, List<String[]>> client) {
        System.out.println("Targets (issue 10):");
        for (String c : List.of("1", "256")) {
            Double ev = med(client, "eventide\t" + c + "\t0.00", 6);
            Double vx = med(client, "vertx\t" + c + "\t0.00", 6);
            Double jd = med(client, "jdbc\t" + c + "\t0.00", 6);
            if (ev != null && vx != null && jd != null) {
                System.out.printf("- client CPU/query at concurrency %s: eventide %.2f µs <= 0.8 x vertx (%.2f): %s; <= pgjdbc (%.2f): %s%n",
                        c, ev, 0.8 * vx, ev <= 0.8 * vx ? "yes" : "NO", jd, ev <= jd ? "yes" : "NO");
            }
        }
        Double q = med(http, "eventide\tqueries20", 3);
        Double qv = med(http, "vertx\tqueries20", 3);
        if (q != null && qv != null) {
            System.out.printf("- /queries?n=20: eventide %.0f req/s >= vertx %.0f: %s%n", q, qv, q >= qv ? "yes" : "NO");
        }
        Double cached = med(client, "eventide\t256\t0.00", 8);
        Double mix = med(client, "eventide\t256\t0.20", 8);
        Double rtt = med(client, "eventide\t1\t0.00", 7);
        if (cached != null && mix != null && rtt != null) {
            System.out.printf("- p99 with 20%% unseen SQL (c=256): %.0f µs <= all-cached p99 %.0f + one round trip %.0f: %s%n",
                    mix, cached, rtt, mix <= cached + rtt ? "yes" : "NO");
        }
    }

    static Double med(Map<String, List<String[]>> m, String key, int col) {
        List<String[]> rows = m.get(key);
        return rows == null ? null : median(rows, col);
    }

    static Map<String, List<String[]>> group(Path file, int... keyCols) throws Exception {
        Map<String, List<String[]>> out = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            StringBuilder key = new StringBuilder();
            for (int c : keyCols) {
                key.append(key.isEmpty() ? "" : "\t").append(f[c]);
            }
            out.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(f);
        }
        return out;
    }

    static double median(List<String[]> rows, int col) {
        List<Double> v = new ArrayList<>();
        for (String[] r : rows) {
            try {
                v.add(Double.parseDouble(r[col]));
            } catch (NumberFormatException e) {
                // "nan" from a failed cell: left out of the median
            }
        }
        if (v.isEmpty()) {
            return Double.NaN;
        }
        v.sort(null);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    static double sum(List<String[]> rows, int col) {
        double s = 0;
        for (String[] r : rows) {
            s += Double.parseDouble(r[col]);
        }
        return s;
    }
}
