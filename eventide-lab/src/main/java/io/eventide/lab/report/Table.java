package io.eventide.lab.report;

import java.util.List;

/**
 * A table of formatted cells, rendered the same way to the terminal, Markdown and HTML.
 *
 * <p><b>Threading:</b> immutable value; any thread.
 *
 * @param id anchor id, e.g. {@code plaintext-rps}
 * @param title what it shows, with units
 * @param header column headings; the first heads the row labels
 * @param rows one list of cells per row, the row label first
 * @param footnote a sentence under the table, or empty
 */
public record Table(String id, String title, List<String> header, List<List<String>> rows, String footnote) {

    /** Copies the lists. */
    public Table {
        header = List.copyOf(header);
        rows = rows.stream().map(List::copyOf).toList();
        footnote = footnote == null ? "" : footnote;
    }
}
