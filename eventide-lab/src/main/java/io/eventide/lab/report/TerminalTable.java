package io.eventide.lab.report;

import java.util.List;

/**
 * Renders {@link Table}s as aligned plain text for the terminal: row labels left, numbers right.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class TerminalTable {
    private TerminalTable() {
    }

    /** @param tables tables @return them as text, one blank line apart */
    public static String render(List<Table> tables) {
        StringBuilder sb = new StringBuilder();
        for (Table t : tables) {
            render(t, sb);
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void render(Table t, StringBuilder sb) {
        int cols = t.header().size();
        int[] width = new int[cols];
        for (int i = 0; i < cols; i++) {
            width[i] = len(t.header().get(i));
        }
        for (List<String> row : t.rows()) {
            for (int i = 0; i < cols && i < row.size(); i++) {
                width[i] = Math.max(width[i], len(row.get(i)));
            }
        }
        sb.append(t.title()).append('\n');
        line(t.header(), width, sb);
        int total = 0;
        for (int w : width) {
            total += w + 2;
        }
        sb.append("-".repeat(Math.max(0, total - 2))).append('\n');
        for (List<String> row : t.rows()) {
            line(row, width, sb);
        }
        if (!t.footnote().isEmpty()) {
            sb.append(t.footnote()).append('\n');
        }
    }

    private static void line(List<String> cells, int[] width, StringBuilder sb) {
        for (int i = 0; i < width.length; i++) {
            String c = i < cells.size() ? cells.get(i) : "";
            String pad = " ".repeat(width[i] - len(c));
            sb.append(i == 0 ? c + pad : pad + c);
            if (i < width.length - 1) {
                sb.append("  ");
            }
        }
        sb.append('\n');
    }

    private static int len(String s) {
        return s.codePointCount(0, s.length());
    }
}
