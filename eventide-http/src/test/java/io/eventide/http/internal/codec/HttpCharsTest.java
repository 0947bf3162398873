package io.eventide.http.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

class HttpCharsTest {
    @Test
    void wordAtATimeValueScanAgreesWithAByteLoop() {
        Random random = new Random(7);
        byte[] alphabet = {'a', ' ', '~', '!', (byte) 0x80, (byte) 0xFF, 0x7F, '\t', '\r', '\n', 0, 0x1F, 0x20, 0x21};
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                // Mostly valid content, so long runs reach the eight-byte steps.
                b[i] = random.nextInt(10) < 8 ? (byte) (0x20 + random.nextInt(0x5F))
                        : alphabet[random.nextInt(alphabet.length)];
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length);
            assertThat(HttpChars.skipFieldContent(b, from, b.length)).isEqualTo(naive(b, from, b.length));
        }
    }

    @Test
    void classifiesTokensAndHexDigits() {
        assertThat(HttpChars.isTchar((byte) '!')).isTrue();
        assertThat(HttpChars.isTchar((byte) '(')).isFalse();
        assertThat(HttpChars.isTchar((byte) 0xE9)).isFalse();
        assertThat(HttpChars.isTarget((byte) '#')).isFalse();
        assertThat(HttpChars.isTarget((byte) '?')).isTrue();
        assertThat(HttpChars.hexValue((byte) 'F')).isEqualTo(15);
        assertThat(HttpChars.hexValue((byte) 'a')).isEqualTo(10);
        assertThat(HttpChars.hexValue((byte) 'g')).isEqualTo(-1);
    }

    private static int naive(byte[] b, int i, int end) {
        while (i < end && ((b[i] & 0xFF) >= 0x20 && b[i] != 0x7F)) {
            i++;
        }
        return i;
    }
}
