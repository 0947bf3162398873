package io.eventide.lab.report;

import java.util.List;
import java.util.Map;

/**
 * Renders {@link Results} as {@code report.md}: the run's metadata, notes, the headline findings,
 * the serving models, one table per measurement and the method.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class MarkdownReport {
    private MarkdownReport() {
    }

    /** @param r results @return Markdown text */
    public static String render(Results r) {
        StringBuilder sb = new StringBuilder("# ").append(ReportText.TITLE).append("\n\n");
        sb.append("| | |\n|---|---|\n");
        for (Map.Entry<String, String> e : r.meta().entrySet()) {
            sb.append("| ").append(cell(e.getKey())).append(" | ").append(cell(e.getValue())).append(" |\n");
        }
        if (!r.notes().isEmpty()) {
            sb.append("\n## Notes\n\n");
            r.notes().forEach(n -> sb.append("- ").append(n).append('\n'));
        }
        List<String> findings = Findings.of(r);
        if (!findings.isEmpty()) {
            sb.append("\n## Findings\n\n");
            findings.forEach(f -> sb.append("- ").append(f).append('\n'));
        }
        sb.append("\n## Serving models\n\n| model | style | how it serves the workload |\n|---|---|---|\n");
        for (Results.Model m : r.models()) {
            sb.append("| ").append(cell(m.label())).append(" | ").append(cell(m.style())).append(" | ")
                    .append(cell(m.description())).append(" |\n");
        }
        sb.append("\n## Results\n\nEach cell: median [min–max] over the repetitions.\n");
        for (Table t : ReportTables.build(r)) {
            table(t, sb);
        }
        sb.append("\n## Method\n\n");
        ReportText.METHOD.forEach(p -> sb.append(p).append("\n\n"));
        return sb.toString();
    }

    private static void table(Table t, StringBuilder sb) {
        sb.append("\n### ").append(t.title()).append("\n\n");
        sb.append("| ").append(String.join(" | ", t.header().stream().map(MarkdownReport::cell).toList()))
                .append(" |\n|");
        for (int i = 0; i < t.header().size(); i++) {
            sb.append(i == 0 ? "---|" : "---:|");
        }
        sb.append('\n');
        for (List<String> row : t.rows()) {
            sb.append("| ").append(String.join(" | ", row.stream().map(MarkdownReport::cell).toList())).append(" |\n");
        }
        if (!t.footnote().isEmpty()) {
            sb.append('\n').append(t.footnote()).append('\n');
        }
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
