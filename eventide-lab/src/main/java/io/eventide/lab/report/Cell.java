package io.eventide.lab.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One measured point: a workload, a serving model (and variant), one load level, every repetition
 * and its summary per metric.
 *
 * <p><b>Threading:</b> immutable value; any thread.
 *
 * @param workload e.g. {@code plaintext}, {@code delay}, {@code cpu-mix}, {@code idle}, {@code open}
 * @param model the serving model's id
 * @param variant a sub-case of the model ({@code loop}, {@code offload}) or empty
 * @param x the load level: connections, or requests per second for the open model
 * @param reps the metrics of each repetition
 * @param summary per metric, its median, min and max over the repetitions
 * @param note anything the reader should know about this cell, or empty
 */
public record Cell(String workload, String model, String variant, long x, List<Map<String, Double>> reps,
        Map<String, Stat> summary, String note) {

    /** Copies the collections. */
    public Cell {
        reps = List.copyOf(reps.stream().map(m -> Collections.unmodifiableMap(new LinkedHashMap<>(m))).toList());
        summary = Collections.unmodifiableMap(new LinkedHashMap<>(summary));
        variant = variant == null ? "" : variant;
        note = note == null ? "" : note;
    }

    /**
     * A cell whose summary is computed from its repetitions. A metric missing from some
     * repetitions is summarised over those that have it.
     *
     * @param workload workload
     * @param model model id
     * @param variant variant or empty
     * @param x load level
     * @param reps metrics per repetition
     * @param note note or empty
     * @return the cell
     */
    public static Cell of(String workload, String model, String variant, long x, List<Map<String, Double>> reps,
            String note) {
        Set<String> metrics = new LinkedHashSet<>();
        reps.forEach(r -> metrics.addAll(r.keySet()));
        Map<String, Stat> summary = new LinkedHashMap<>();
        for (String m : metrics) {
            List<Double> values = new ArrayList<>();
            for (Map<String, Double> r : reps) {
                Double v = r.get(m);
                if (v != null && !v.isNaN()) {
                    values.add(v);
                }
            }
            if (!values.isEmpty()) {
                summary.put(m, Stat.of(values.stream().mapToDouble(Double::doubleValue).toArray()));
            }
        }
        return new Cell(workload, model, variant, x, reps, summary, note);
    }

    /**
     * @param metric a metric name
     * @return its summary, or null when no repetition measured it
     */
    public Stat stat(String metric) {
        return summary.get(metric);
    }

    /** @return the model id and the variant, e.g. {@code eventide-1/offload} */
    public String series() {
        return variant.isEmpty() ? model : model + "/" + variant;
    }
}
