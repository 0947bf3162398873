/** The lab: one workload, several serving models, measured side by side ({@code ./eventide bench}). */
package io.eventide.lab;
