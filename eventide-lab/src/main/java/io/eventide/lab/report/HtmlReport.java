package io.eventide.lab.report;

import java.util.List;
import java.util.Map;

/**
 * Renders {@link Results} as a single self-contained {@code report.html}: inline CSS, inline SVG
 * charts, no script, no font, image or stylesheet fetched from anywhere, so it reads the same
 * offline, from a mail attachment or from a CI artifact.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class HtmlReport {
    private static final String CSS = """
            body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1100px;\
            padding:0 1em;color:#111827}
            h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #e5e7eb}h3{font-size:1.05em;margin-top:1.6em}
            table{border-collapse:collapse;margin:.6em 0;font-size:13px}.wide{overflow-x:auto;max-width:100%}
            td,th{border:1px solid #e5e7eb;padding:3px 8px}td:not(:first-child){text-align:right;\
            font-variant-numeric:tabular-nums}
            th{background:#f9fafb}.meta td{text-align:left!important;overflow-wrap:anywhere}.foot{color:#4b5563;font-size:13px}
            svg{display:block;margin:1em 0;max-width:100%;height:auto}
            svg .title{font-weight:600;font-size:14px}svg .tick{font-size:11px;fill:#374151}
            svg .label{font-size:12px;fill:#111827}svg .grid{stroke:#e5e7eb}svg .frame{fill:none;stroke:#9ca3af}
            svg .whisker{stroke-width:1.5;stroke-opacity:.7;stroke:#374151}
            """;

    private HtmlReport() {
    }

    /** @param r results @return the HTML document */
    public static String render(Results r) {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>");
        sb.append("<meta name='viewport' content='width=device-width,initial-scale=1'>");
        sb.append("<title>").append(esc(ReportText.TITLE)).append("</title><style>").append(CSS)
                .append("</style></head><body>\n");
        sb.append("<h1>").append(esc(ReportText.TITLE)).append("</h1>\n<div class='wide'><table class='meta'>");
        for (Map.Entry<String, String> e : r.meta().entrySet()) {
            sb.append("<tr><th>").append(esc(e.getKey())).append("</th><td>").append(esc(e.getValue()))
                    .append("</td></tr>");
        }
        sb.append("</table></div>\n");
        list(sb, "Notes", r.notes());
        list(sb, "Findings", Findings.of(r));
        sb.append("<h2>Serving models</h2><div class='wide'><table><tr><th>model</th><th>style</th><th>how it serves the workload</th>"
                + "</tr>");
        for (Results.Model m : r.models()) {
            sb.append("<tr><td>").append(esc(m.label())).append("</td><td style='text-align:left'>")
                    .append(esc(m.style())).append("</td><td style='text-align:left'>").append(esc(m.description()))
                    .append("</td></tr>");
        }
        sb.append("</table></div>\n<h2>Charts</h2>\n<p class='foot'>Points are medians; whiskers span min–max over the "
                + "repetitions. Hover a point for its values.</p>\n");
        for (String svg : Charts.build(r)) {
            sb.append(svg).append('\n');
        }
        sb.append("<h2>Tables</h2>\n<p class='foot'>Each cell: median [min–max] over the repetitions.</p>\n");
        for (Table t : ReportTables.build(r)) {
            table(t, sb);
        }
        sb.append("<h2>Method</h2>\n");
        ReportText.METHOD.forEach(p -> sb.append("<p>").append(esc(p)).append("</p>\n"));
        return sb.append("</body></html>\n").toString();
    }

    private static void list(StringBuilder sb, String title, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        sb.append("<h2>").append(title).append("</h2><ul>");
        items.forEach(i -> sb.append("<li>").append(esc(i)).append("</li>"));
        sb.append("</ul>\n");
    }

    private static void table(Table t, StringBuilder sb) {
        sb.append("<h3 id='").append(esc(t.id())).append("'>").append(esc(t.title())).append("</h3><div class='wide'><table><tr>");
        t.header().forEach(h -> sb.append("<th>").append(esc(h)).append("</th>"));
        sb.append("</tr>");
        for (List<String> row : t.rows()) {
            sb.append("<tr>");
            row.forEach(c -> sb.append("<td>").append(esc(c)).append("</td>"));
            sb.append("</tr>");
        }
        sb.append("</table></div>");
        if (!t.footnote().isEmpty()) {
            sb.append("<p class='foot'>").append(esc(t.footnote())).append("</p>");
        }
        sb.append('\n');
    }

    private static String esc(String s) {
        return SvgChart.esc(s);
    }
}
