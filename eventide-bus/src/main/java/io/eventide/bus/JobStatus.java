package io.eventide.bus;

import java.util.Objects;

/**
 * Where one job of a {@link WorkQueue} is: queued (durably enqueued), running, done or failed.
 *
 * @param id the job's id, as answered to the client that submitted it
 * @param state where it is
 * @param detail a short text: the failure's message, or empty
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public record JobStatus(String id, State state, String detail) {
    /** The states of a job, in order. */
    public enum State {
        /** Durably enqueued: the broker confirmed it. */
        QUEUED,
        /** A worker took it. */
        RUNNING,
        /** The worker's promise resolved. */
        DONE,
        /** The worker's promise rejected. */
        FAILED;

        /** @return whether no further state follows */
        public boolean isFinal() {
            return this == DONE || this == FAILED;
        }
    }

    /** Validates. */
    public JobStatus {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        detail = detail == null ? "" : detail;
    }

    /** @return this status as a JSON object {@code {"id":..,"state":..,"detail":..}} */
    public String toJson() {
        return "{\"id\":\"" + id + "\",\"state\":\"" + state.name().toLowerCase(java.util.Locale.ROOT)
                + "\",\"detail\":" + quote(detail) + "}";
    }

    private static String quote(String s) {
        try {
            return Message.mapper().writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a string always serialises", e);
        }
    }
}
