package io.eventide.pg.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.pg.Column;
import io.eventide.pg.Columns;
import io.eventide.pg.PgException;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Malformed backend bodies, as BackendFuzzer found them: each is a protocol-violation
 * {@link PgException} (the connection is destroyed with it), never a buffer or number exception
 * escaping into the loop.
 */
class BackendTest {
    private static final Columns INT4 = new Columns(List.of(new Column("n", 23, 0, 1, -1)));

    @Test
    void stringWithoutItsNulIsAProtocolViolation() {
        assertMalformed(() -> Backend.cstring(ByteBuffer.wrap(new byte[] {'a', 'b'})), "terminating NUL");
        assertMalformed(() -> Backend.fields(ByteBuffer.wrap(new byte[] {'S', 'E', 'R'})), "terminating NUL");
        assertMalformed(() -> Backend.notification(ByteBuffer.wrap(new byte[] {0, 0})), "NotificationResponse");
    }

    @Test
    void descriptionsThatEndEarlyAreProtocolViolations() {
        assertMalformed(() -> Backend.rowDescription(ByteBuffer.wrap(new byte[] {0, 1, 'a', 0, 0})), "RowDescription");
        assertMalformed(() -> Backend.parameterDescription(ByteBuffer.wrap(new byte[] {0, 2, 0, 0, 0, 23})),
                "ParameterDescription");
    }

    @Test
    void dataRowsMustMatchTheirDescriptionAndTheirTypes() {
        assertMalformed(() -> Backend.dataRow(row(2, 1, "1"), INT4, null), "one value per column");
        assertMalformed(() -> Backend.dataRow(row(1, 9, "1"), INT4, null), "9 bytes with 1 left");
        assertMalformed(() -> Backend.dataRow(row(1, 0, ""), INT4, null), "column 1 of type 23");
        assertMalformed(() -> Backend.dataRow(row(1, 2, "12"), INT4, new boolean[] {true}), "column 1 of type 23");
        assertMalformed(() -> Backend.dataRow(row(1, 1, "1"), null, null), "without a RowDescription");
        assertThat(Backend.dataRow(row(1, 2, "12"), INT4, null).getInteger(0)).isEqualTo(12);
    }

    /** Found by BackendFuzzer: a 20-byte int4[] value announcing 2^31-1 elements ran the heap out. */
    @Test
    void arrayShapesThatCannotFitTheirValueAreRefusedBeforeAllocating() {
        Columns int4Array = new Columns(List.of(new Column("a", 1007, 0, 1, -1)));
        ByteBuffer huge = ByteBuffer.allocate(64).putShort((short) 1).putInt(20)
                .putInt(1).putInt(0).putInt(23).putInt(Integer.MAX_VALUE).putInt(1).flip();
        assertMalformed(() -> Backend.dataRow(huge, int4Array, new boolean[] {true}), "do not fit");
        ByteBuffer deep = ByteBuffer.allocate(64).putShort((short) 1).putInt(12).putInt(7).putInt(0).putInt(23).flip();
        assertMalformed(() -> Backend.dataRow(deep, int4Array, new boolean[] {true}), "7 dimensions");
        String nested = "{".repeat(5000) + "}".repeat(5000);
        ByteBuffer text = ByteBuffer.allocate(nested.length() + 6).putShort((short) 1).putInt(nested.length())
                .put(nested.getBytes()).flip();
        assertMalformed(() -> Backend.dataRow(text, int4Array, null), "nested deeper than 6");
        ByteBuffer ok = ByteBuffer.allocate(64).putShort((short) 1).putInt(28)
                .putInt(1).putInt(0).putInt(23).putInt(1).putInt(1).putInt(4).putInt(42).flip();
        assertThat((Integer[]) Backend.dataRow(ok, int4Array, new boolean[] {true}).get(0)).containsExactly(42);
    }

    private static ByteBuffer row(int columns, int length, String value) {
        ByteBuffer b = ByteBuffer.allocate(64).putShort((short) columns).putInt(length).put(value.getBytes());
        return b.flip();
    }

    private static void assertMalformed(Runnable parse, String message) {
        assertThatThrownBy(parse::run).isInstanceOfSatisfying(PgException.class, e -> {
            assertThat(e.sqlState()).isEqualTo(PgException.PROTOCOL_VIOLATION);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
