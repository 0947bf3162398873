package io.eventide.lab.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@link Results} to and from {@code results.json}: indented, in field order, so that two runs
 * diff line by line.
 *
 * <p><b>Threading:</b> any thread; stateless apart from a thread-safe mapper.
 */
public final class ResultsJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsJson() {
    }

    /** @param r results @return them as JSON text */
    public static String write(Results r) {
        try {
            return MAPPER.writeValueAsString(r) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param json JSON text written by {@link #write} @return the results */
    public static Results read(String json) {
        try {
            return MAPPER.readValue(json, Results.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param file a {@code results.json}
     * @return the results
     * @throws IOException when the file cannot be read
     */
    public static Results read(Path file) throws IOException {
        return read(Files.readString(file));
    }
}
