package io.eventide.lab.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one lab run measured, with where and how: what {@code results.json} holds, and what
 * every report is generated from.
 *
 * <p><b>Threading:</b> immutable value; any thread.
 *
 * @param meta date, machine, versions, settings (key to text, in display order)
 * @param notes remarks on the run: skipped models, unpinned processes, shared CPUs
 * @param models the serving models measured, in display order
 * @param cells every measured point
 */
public record Results(Map<String, String> meta, List<String> notes, List<Model> models, List<Cell> cells) {

    /**
     * A serving model.
     *
     * <p><b>Threading:</b> immutable value; any thread.
     *
     * @param id short id used in cells, e.g. {@code jetty}
     * @param label display name, e.g. {@code Jetty 12, 200 platform threads}
     * @param style {@code event loop}, {@code platform threads} or {@code virtual threads}
     * @param description how it serves the workload
     */
    public record Model(String id, String label, String style, String description) {
        /** Validates. */
        public Model {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(label, "label");
        }
    }

    /** Copies the collections. */
    public Results {
        meta = Collections.unmodifiableMap(new LinkedHashMap<>(meta));
        notes = List.copyOf(notes);
        models = List.copyOf(models);
        cells = List.copyOf(cells);
    }

    /**
     * @param workload a workload name
     * @return its cells, ordered by model (display order), variant, then load level
     */
    public List<Cell> cells(String workload) {
        List<Cell> out = new ArrayList<>();
        for (Cell c : cells) {
            if (c.workload().equals(workload)) {
                out.add(c);
            }
        }
        out.sort(Comparator.comparingInt((Cell c) -> modelIndex(c.model())).thenComparing(Cell::variant)
                .thenComparingLong(Cell::x));
        return out;
    }

    /**
     * @param workload a workload name
     * @param series a model id, or {@code model/variant}
     * @param x a load level
     * @return that cell, or null
     */
    public Cell cell(String workload, String series, long x) {
        for (Cell c : cells) {
            if (c.workload().equals(workload) && c.series().equals(series) && c.x() == x) {
                return c;
            }
        }
        return null;
    }

    /** @param id a model id @return the model, or a placeholder labelled with the id */
    public Model model(String id) {
        for (Model m : models) {
            if (m.id().equals(id)) {
                return m;
            }
        }
        return new Model(id, id, "", "");
    }

    private int modelIndex(String id) {
        for (int i = 0; i < models.size(); i++) {
            if (models.get(i).id().equals(id)) {
                return i;
            }
        }
        return models.size();
    }

    /** @param workload a workload @return its distinct load levels, ascending */
    public List<Long> levels(String workload) {
        return cells(workload).stream().map(Cell::x).distinct().sorted().toList();
    }

    /** @param workload a workload @return its distinct series in display order */
    public List<String> series(String workload) {
        return cells(workload).stream().map(Cell::series).distinct().toList();
    }
}
