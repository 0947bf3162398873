package io.eventide.pg.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Framing and codecs without a socket: messages fed whole, byte by byte and split at every offset. */
class CodecTest {
    private static byte[] stream() {
        Wire w = new Wire();
        w.begin('Z').int8('I').end();
        w.begin('D').int16(2).int32(4).int32(42).int32(-1).end();
        w.begin('C').cstring("SELECT 1").end();
        w.begin('E').int8('S').cstring("ERROR").int8('C').cstring("42601").int8(0).end();
        byte[][] out = new byte[1][];
        w.drainTo(b -> {
            out[0] = new byte[b.remaining()];
            b.get(out[0]);
        });
        return out[0];
    }

    private static List<String> read(byte[] data, int... cuts) {
        MessageReader r = new MessageReader(1 << 20);
        List<String> got = new ArrayList<>();
        MessageReader.Sink sink = (type, body) -> {
            byte[] b = new byte[body.remaining()];
            body.get(b);
            got.add((char) type + ":" + java.util.HexFormat.of().formatHex(b));
        };
        int from = 0;
        for (int cut : cuts) {
            r.feed(ByteBuffer.wrap(data, from, cut - from).slice(), sink);
            from = cut;
        }
        r.feed(ByteBuffer.wrap(data, from, data.length - from).slice(), sink);
        return got;
    }

    @Test
    void messagesAreTheSameWholeSplitAnywhereAndByteByByte() {
        byte[] data = stream();
        List<String> whole = read(data);
        assertThat(whole).hasSize(4);
        for (int cut = 1; cut < data.length; cut++) {
            assertThat(read(data, cut)).as("split at %d", cut).isEqualTo(whole);
        }
        int[] every = new int[data.length - 1];
        for (int i = 0; i < every.length; i++) {
            every[i] = i + 1;
        }
        assertThat(read(data, every)).isEqualTo(whole);
    }

    @Test
    void anImpossibleLengthIsRefused() {
        MessageReader r = new MessageReader(1024);
        ByteBuffer bad = ByteBuffer.wrap(new byte[] {'D', 0x7f, 0, 0, 0});
        assertThatThrownBy(() -> r.feed(bad, (t, b) -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("max-message-bytes");
    }

    @Test
    void numericBinaryDecodesWeightsAndScales() {
        // 123456.789: digits 12, 3456, 7890 (base 10000), weight 1, dscale 3
        assertThat(numeric(3, 1, 0, 3, 12, 3456, 7890)).isEqualTo(new BigDecimal("123456.789"));
        assertThat(numeric(1, -2, 0x4000, 6, 1200)).isEqualTo(new BigDecimal("-0.000012"));
        assertThat(numeric(1, 1, 0, 2, 1)).isEqualTo(new BigDecimal("10000.00"));
        assertThat(numeric(0, 0, 0, 4)).isEqualTo(new BigDecimal("0.0000"));
        assertThat(numeric(0, 0, 0xC000, 0)).isEqualTo(Double.NaN);
    }

    private static Object numeric(int n, int weight, int sign, int dscale, int... digits) {
        ByteBuffer b = ByteBuffer.allocate(8 + 2 * n);
        b.putShort((short) n).putShort((short) weight).putShort((short) sign).putShort((short) dscale);
        for (int d : digits) {
            b.putShort((short) d);
        }
        b.flip();
        return BinaryDecoder.decode(Oids.NUMERIC, b, b.remaining());
    }

    @Test
    void textArraysHandleQuotesNullsAndNesting() {
        Object v = TextDecoder.parse(Oids.TEXT_ARRAY, "{\"a b\",\"c\\\"d\",NULL,\"\",\"NULL\"}");
        assertThat((Object[]) v).containsExactly("a b", "c\"d", null, "", "NULL");
        Object m = TextDecoder.parse(Oids.INT4_ARRAY, "[0:1]={{1,2},{3,4}}");
        assertThat(m).isEqualTo(new Integer[][] {{1, 2}, {3, 4}});
    }
}
