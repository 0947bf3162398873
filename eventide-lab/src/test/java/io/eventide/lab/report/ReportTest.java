package io.eventide.lab.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
    private final Results results = SampleResults.build();

    @Test
    void statIsMedianMinMax() {
        assertThat(Stat.of(3, 1, 2)).isEqualTo(new Stat(2, 1, 3));
        assertThat(Stat.of(4, 1, 2, 3)).isEqualTo(new Stat(2.5, 1, 4));
        assertThat(Stat.of(7)).isEqualTo(new Stat(7, 7, 7));
        assertThat(Fmt.stat(new Stat(42_000, 40_000, 44_000))).isEqualTo("42,000 [40,000–44,000]");
        assertThat(Fmt.stat(new Stat(2.5, 2.5, 2.5))).isEqualTo("2.50");
        assertThat(Fmt.stat(new Stat(17, 17, 18))).isEqualTo("17 [17–18]");
        assertThat(Fmt.num(0.0661)).isEqualTo("0.066");
        assertThat(Fmt.num(12.34)).isEqualTo("12.3");
        assertThat(Fmt.num(1234.5)).isEqualTo("1,235");
        assertThat(Fmt.stat(null)).isEqualTo("–");
    }

    @Test
    void cellsSummariseEveryMetricOverTheirRepetitions() {
        Cell c = results.cell(Workloads.PLAINTEXT, "eventide-1", 1_000);
        assertThat(c.stat(Workloads.RPS)).isEqualTo(new Stat(42_000, 40_000, 44_000));
        assertThat(c.stat(Workloads.P99)).isEqualTo(new Stat(3, 2, 4));
        assertThat(results.cell(Workloads.CPU_MIX, "eventide-1/offload", 1_000).variant()).isEqualTo("offload");
        assertThat(results.levels(Workloads.PLAINTEXT)).containsExactly(50L, 1_000L, 10_000L);
        assertThat(results.series(Workloads.CPU_MIX)).containsExactly("eventide-1/loop", "eventide-1/offload",
                "jetty/thread");
    }

    @Test
    void jsonRoundTripsExactly() {
        String json = ResultsJson.write(results);
        assertThat(ResultsJson.read(json)).isEqualTo(results);
        assertThat(json).contains("\"workload\" : \"plaintext\"").contains("\"median\" : 42000.0");
    }

    @Test
    void tablesHaveOneRowPerModelAndOneColumnPerLevel() {
        List<Table> tables = ReportTables.build(results);
        assertThat(tables).extracting(Table::id).containsExactly("plaintext-rps", "plaintext-p99", "delay-rps",
                "delay-p99", "cpu-mix", "blocking-sleep", "open-p99", "open-achieved", "idle-rss", "idle-heap", "idle-threads",
                "idle-per-conn");
        Table rps = tables.get(0);
        assertThat(rps.header()).containsExactly("model", "50 conn", "1,000 conn", "10,000 conn");
        assertThat(rps.rows().get(0)).containsExactly("Eventide, 1 loop", "42,000 [40,000–44,000]",
                "42,000 [40,000–44,000]", "42,000 [40,000–44,000]");
        assertThat(rps.rows().get(1).get(1)).isEqualTo("20,500 [20,000–21,000] (12 err)");
        assertThat(rps.footnote()).contains("failed requests");
        Table delay = tables.get(2);
        assertThat(delay.rows()).last().isEqualTo(List.of("Little's law: connections / 50 ms", "2,000", "200,000"));
        Table mix = tables.get(4);
        assertThat(mix.rows()).extracting(r -> r.get(0)).containsExactly("Eventide, 1 loop · on the event loop",
                "Eventide, 1 loop · offloaded to workers", "Jetty 12, 200 platform threads · on the request thread");
        assertThat(mix.footnote()).isEqualTo("n=20,000");
        Table blocking = tables.get(5);
        assertThat(blocking.title()).startsWith("Blocking handler, Thread.sleep(20 ms)").contains("at 300 req/s");
        assertThat(blocking.header()).containsExactly("model · where the handler runs", "answered/s", "p50 ms",
                "p99 ms", "max ms", "loop lag p99 ms", "loop lag max ms", "failed");
        assertThat(blocking.rows()).extracting(r -> r.get(0)).containsExactly("Eventide, 1 loop · on the event loop",
                "Eventide, 1 loop · offloaded to workers", "Eventide, 1 loop · blocking(...) on a virtual thread");
        assertThat(blocking.rows().get(0)).containsExactly("Eventide, 1 loop · on the event loop", "48", "–",
                "2,900", "–", "1,300", "1,400", "500");
        assertThat(blocking.footnote()).startsWith("Thread.sleep(20)");
    }

    @Test
    void findingsQuoteTheNumbersAndRatios() {
        List<String> f = Findings.of(results);
        assertThat(f).anySatisfy(s -> assertThat(s).contains("10,000 connections").contains("42,000")
                .contains("20,500").contains("2.0×"));
        assertThat(f).anySatisfy(s -> assertThat(s).contains("/delay").contains("30,000").contains("3,950")
                .contains("7.6×"));
        assertThat(f).anySatisfy(s -> assertThat(s).contains("Eventide, 1 loop 7.50 ms with /cpu on the loop, "
                + "1.50 ms offloaded (5.0× lower)").contains("Jetty 12, 200 platform threads 2.50 ms"));
        assertThat(f).anySatisfy(s -> assertThat(s).contains("Eventide, 1 loop 4 KiB (17 OS threads)"));
        assertThat(f).anySatisfy(s -> assertThat(s).contains("saturated: 3,000/s answered"));
        assertThat(f).anySatisfy(s -> assertThat(s).contains("Threads out-served").contains("in no throughput cell"));
        assertThat(f).anySatisfy(s -> assertThat(s).startsWith("A handler that sleeps, 300 req/s offered, Eventide, "
                + "1 loop: on the event loop 48/s, p99 2,900 ms, loop lag p99 1,300 ms; offloaded to workers 190/s")
                .endsWith("blocking(...) on a virtual thread 300/s, p99 33 ms, loop lag p99 2.10 ms."));
    }

    @Test
    void markdownHasMetaNotesFindingsTablesAndMethod() {
        String md = MarkdownReport.render(results);
        assertThat(md).startsWith("# " + ReportText.TITLE)
                .contains("| CPU | Test CPU <fast> & cheap, 2 cores |")
                .contains("## Notes\n\n- a note")
                .contains("## Findings")
                .contains("| model | 50 conn | 1,000 conn | 10,000 conn |\n|---|---:|---:|---:|")
                .contains("| Eventide, 1 loop | 42,000 [40,000–44,000] |")
                .contains("## Method");
    }

    @Test
    void htmlIsSelfContainedWithInlineCharts() {
        String html = HtmlReport.render(results);
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        assertThat(html).doesNotContain("http://", "https://", "<script", "<link", "<img", "@import", "url(");
        assertThat(html).contains("Test CPU &lt;fast&gt; &amp; cheap");
        // plaintext rps + p99, delay rps + p99, CPU mix, blocking sleep, open p99, idle RSS, memory per connection
        assertThat(html.split("<svg ", -1)).hasSize(1 + 9);
        assertThat(html).contains("Little&#39;s law: conn / 50 ms").contains("200 threads / 50 ms");
        assertThat(count(html, "<svg ")).isEqualTo(count(html, "</svg>"));
        assertThat(html).contains("<circle").contains("<rect").contains("42,000 [40,000–44,000]");
    }

    @Test
    void terminalTableAlignsColumns() {
        String text = TerminalTable.render(List.of(ReportTables.build(results).get(0)));
        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).isEqualTo("GET /plaintext: throughput, responses/s (wrk, closed loop)");
        int width = lines.get(1).length();
        assertThat(lines.subList(1, 5)).allSatisfy(l -> assertThat(l).hasSize(width));
        assertThat(lines.get(3)).startsWith("Eventide, 1 loop").endsWith("42,000 [40,000–44,000]");
    }

    @Test
    void chartsSkipWhatWasNotMeasured() {
        Results empty = new Results(results.meta(), List.of(), results.models(), List.of());
        assertThat(Charts.build(empty)).isEmpty();
        assertThat(ReportTables.build(empty)).isEmpty();
        assertThat(HtmlReport.render(empty)).doesNotContain("<svg");
    }

    private static int count(String s, String what) {
        return s.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }
}
