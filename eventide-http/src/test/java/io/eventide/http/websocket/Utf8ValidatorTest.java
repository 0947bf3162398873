package io.eventide.http.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.http.internal.websocket.Utf8Validator;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The DFA agrees with the JDK's strict decoder, whole and fed in pieces. */
class Utf8ValidatorTest {

    static boolean jdkValid(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    static boolean dfaValid(byte[] b, int split) {
        Utf8Validator v = new Utf8Validator();
        boolean ok = v.update(ByteBuffer.wrap(b, 0, split).slice()) && v.update(b, split, b.length - split);
        return ok && v.isComplete();
    }

    @Test
    void edgeCases() {
        byte[][] valid = {
            {}, "ascii only, long enough for the fast path".getBytes(), {(byte) 0xC2, (byte) 0x80},
            {(byte) 0xED, (byte) 0x9F, (byte) 0xBF},                        // U+D7FF
            {(byte) 0xEE, (byte) 0x80, (byte) 0x80},                        // U+E000
            {(byte) 0xF4, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF},           // U+10FFFF
            {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},                        // BOM
        };
        byte[][] invalid = {
            {(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xC1, (byte) 0xBF},          // overlong
            {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},                                        // overlong
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},                                        // surrogate D800
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},                           // > U+10FFFF
            {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xFF},
            {(byte) 0xE2, (byte) 0x82},                                                     // truncated
        };
        for (byte[] b : valid) {
            for (int s = 0; s <= b.length; s++) {
                assertThat(dfaValid(b, s)).as("valid %s split %d", java.util.HexFormat.of().formatHex(b), s).isTrue();
            }
        }
        for (byte[] b : invalid) {
            for (int s = 0; s <= b.length; s++) {
                assertThat(dfaValid(b, s)).as("invalid %s split %d", java.util.HexFormat.of().formatHex(b), s).isFalse();
            }
        }
    }

    @Test
    void agreesWithTheJdkOnRandomInput() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 50_000; i++) {
            byte[] b = new byte[rnd.nextInt(1, 12)];
            for (int j = 0; j < b.length; j++) {
                // Bias towards bytes that form multi-byte sequences, so both outcomes are common.
                b[j] = (byte) (rnd.nextBoolean() ? rnd.nextInt(0x80, 0x100) : rnd.nextInt(0, 0x80));
            }
            boolean expected = jdkValid(b);
            assertThat(dfaValid(b, rnd.nextInt(0, b.length + 1))).as("%s", java.util.HexFormat.of().formatHex(b))
                    .isEqualTo(expected);
        }
    }
}
