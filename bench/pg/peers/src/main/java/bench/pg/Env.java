package bench.pg;

import java.util.concurrent.ThreadLocalRandom;

/** Settings from the environment (libpq names) and the TechEmpower helpers both peers share. */
final class Env {
    static final String SELECT = "SELECT id, randomnumber FROM world WHERE id = $1";
    static final String UPDATE = "UPDATE world SET randomnumber = $1 WHERE id = $2";
    static final String FORTUNES = "SELECT id, message FROM fortune";

    private Env() {
    }

    static String get(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? dflt : v;
    }

    static int getInt(String name, int dflt) {
        return Integer.parseInt(get(name, String.valueOf(dflt)));
    }

    static String host() {
        return get("PGHOST", "127.0.0.1");
    }

    static int port() {
        return getInt("PGPORT", 5432);
    }

    static String database() {
        return get("PGDATABASE", "eventide_bench");
    }

    static String user() {
        return get("PGUSER", "postgres");
    }

    static String password() {
        return get("PGPASSWORD", "");
    }

    static int randomId() {
        return ThreadLocalRandom.current().nextInt(1, 10_001);
    }

    /** A missing or bad n is 1; n stays within 1..500. */
    static int count(String query) {
        if (query == null) {
            return 1;
        }
        for (String kv : query.split("&")) {
            if (kv.startsWith("n=")) {
                try {
                    return Math.max(1, Math.min(500, Integer.parseInt(kv.substring(2))));
                } catch (NumberFormatException e) {
                    return 1;
                }
            }
        }
        return 1;
    }

    static String world(int id, int randomNumber) {
        return "{\"id\":" + id + ",\"randomNumber\":" + randomNumber + "}";
    }

    static String fortunesHtml(java.util.List<String[]> fortunes) {
        fortunes.add(new String[] {"0", "Additional fortune added at request time."});
        fortunes.sort(java.util.Comparator.comparing(f -> f[1]));
        StringBuilder html = new StringBuilder(2048).append("<!DOCTYPE html><html><head><title>Fortunes</title></head>"
                + "<body><table><tr><th>id</th><th>message</th></tr>");
        for (String[] f : fortunes) {
            html.append("<tr><td>").append(f[0]).append("</td><td>");
            for (char c : f[1].toCharArray()) {
                switch (c) {
                    case '<' -> html.append("&lt;");
                    case '>' -> html.append("&gt;");
                    case '&' -> html.append("&amp;");
                    case '"' -> html.append("&quot;");
                    case '\'' -> html.append("&#39;");
                    default -> html.append(c);
                }
            }
            html.append("</td></tr>");
        }
        return html.append("</table></body></html>").toString();
    }
}
