/**
 * The lab's results and how they are shown: {@link io.eventide.lab.report.Results} (written as
 * {@code results.json}), and from it a terminal table, {@code report.md} and a self-contained
 * {@code report.html} whose charts are inline SVG, readable without a network connection.
 */
package io.eventide.lab.report;
