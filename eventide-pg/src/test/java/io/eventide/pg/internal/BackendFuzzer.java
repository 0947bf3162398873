package io.eventide.pg.internal;

import io.eventide.pg.Columns;
import io.eventide.pg.PgException;
import io.eventide.pg.Row;
import io.eventide.pg.internal.codec.MessageReader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target: the backend-message decoder, as a connection runs it: {@link MessageReader} frames
 * the stream, and each body goes to the parser of its type ({@link Backend}): ErrorResponse and
 * NoticeResponse fields, RowDescription, DataRow (in text, or in binary when the first byte is
 * odd, against the last RowDescription), ParameterDescription, ParameterStatus,
 * NotificationResponse, CommandComplete. Properties: nothing thrown but
 * {@link IllegalStateException} from the framing (an impossible length) and {@link PgException}
 * with SQLSTATE 08P01 from a body; every message is handed out, and the same messages with the
 * same parse results whatever the stream's cutting.
 *
 * <p><b>Threading:</b> called by Jazzer on its thread.
 */
public final class BackendFuzzer {
    private BackendFuzzer() {
    }

    /** @param input a flags byte, then the backend stream */
    public static void fuzzerTestOneInput(byte[] input) {
        if (input.length == 0) {
            return;
        }
        boolean binary = (input[0] & 1) != 0;
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);
        String whole = run(stream, new int[0], binary);
        int[] everyByte = new int[Math.max(0, stream.length - 1)];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        String split = run(stream, everyByte, binary);
        if (!whole.equals(split)) {
            throw new AssertionError("fed whole:\n" + whole + "\nfed byte by byte:\n" + split);
        }
    }

    private static String run(byte[] stream, int[] cuts, boolean binary) {
        MessageReader reader = new MessageReader(1 << 16);
        Decoded sink = new Decoded(binary);
        int from = 0;
        try {
            for (int i = 0; i <= cuts.length; i++) {
                int to = i < cuts.length ? cuts[i] : stream.length;
                ByteBuffer in = ByteBuffer.wrap(stream.clone(), from, to - from).slice();
                reader.feed(in, sink);
                if (in.hasRemaining()) {
                    return "BUG: feed left " + in.remaining() + " bytes";
                }
                from = to;
            }
        } catch (IllegalStateException e) {
            return String.join("\n", sink.log) + "\nframing: " + e.getMessage();
        }
        if (sink.handed > stream.length) {
            return "BUG: handed out " + sink.handed + " bytes of " + stream.length;
        }
        return String.join("\n", sink.log) + "\nheld back: " + (stream.length - sink.handed);
    }

    /** Parses each message as the connection would; logs the outcome. */
    private static final class Decoded implements MessageReader.Sink {
        final List<String> log = new ArrayList<>();
        final boolean binary;
        Columns columns;
        long handed;

        Decoded(boolean binary) {
            this.binary = binary;
        }

        @Override
        public void message(byte type, ByteBuffer body) {
            int length = body.remaining() + 5;
            handed += length;
            String outcome;
            try {
                outcome = parse(type, body);
            } catch (PgException e) {
                if (!PgException.PROTOCOL_VIOLATION.equals(e.sqlState())) {
                    throw new AssertionError("a malformed body gave SQLSTATE " + e.sqlState(), e);
                }
                outcome = "malformed: " + e.getMessage();
            }
            log.add("msg " + (char) type + " @" + length + " " + outcome);
        }

        private String parse(byte type, ByteBuffer body) {
            return switch (type) {
                case 'E', 'N' -> Backend.fields(body).toString();
                case 'T' -> {
                    columns = Backend.rowDescription(body);
                    StringBuilder cols = new StringBuilder();
                    for (int i = 0; i < columns.size(); i++) {
                        cols.append(columns.get(i)).append(' ');
                    }
                    yield cols.toString();
                }
                case 'D' -> {
                    boolean[] formats = null;
                    if (binary && columns != null) {
                        formats = new boolean[columns.size()];
                        Arrays.fill(formats, true);
                    }
                    Row row = Backend.dataRow(body, columns, formats);
                    Object[] values = new Object[row.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = row.get(i);
                    }
                    yield Arrays.deepToString(values);
                }
                case 't' -> Arrays.toString(Backend.parameterDescription(body));
                case 'S' -> Backend.cstring(body) + "=" + Backend.cstring(body);
                case 'A' -> Backend.notification(body).toString();
                case 'C' -> Backend.cstring(body);
                default -> "skipped";
            };
        }
    }
}
