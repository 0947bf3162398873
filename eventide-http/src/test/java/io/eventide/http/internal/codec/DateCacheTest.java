package io.eventide.http.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;

class DateCacheTest {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    @Test
    void formatsTheRfcExample() {
        assertThat(new DateCache().value(784111777000L)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    }

    @Test
    void writesTheWholeFieldLine() {
        ByteBuffer out = ByteBuffer.allocate(64);
        new DateCache().write(out, 784111777999L);
        assertThat(out.position()).isEqualTo(DateCache.LENGTH);
        assertThat(new String(out.array(), 0, out.position(), StandardCharsets.US_ASCII))
                .isEqualTo("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n");
    }

    @Test
    void agreesWithJavaTimeAcrossCenturiesAndLeapDays() {
        DateCache cache = new DateCache();
        long[] edges = {0, -1, 951782400000L, 951868800000L, 4107542400000L, 4107456000000L, 253402300799000L,
            -62135596800000L + 86_400_000L};
        for (long millis : edges) {
            assertThat(cache.value(millis)).as("%d", millis).isEqualTo(IMF_FIXDATE.format(Instant.ofEpochMilli(millis)));
        }
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            long millis = random.nextLong(0, 253402300799000L);
            assertThat(cache.value(millis)).isEqualTo(IMF_FIXDATE.format(Instant.ofEpochMilli(millis)));
        }
    }

    @Test
    void refreshesWhenTheSecondChanges() {
        DateCache cache = new DateCache();
        assertThat(cache.value(1_700_000_000_000L)).isEqualTo("Tue, 14 Nov 2023 22:13:20 GMT");
        assertThat(cache.value(1_700_000_000_999L)).isEqualTo("Tue, 14 Nov 2023 22:13:20 GMT");
        assertThat(cache.value(1_700_000_001_000L)).isEqualTo("Tue, 14 Nov 2023 22:13:21 GMT");
        assertThat(cache.value(1_699_999_999_999L)).isEqualTo("Tue, 14 Nov 2023 22:13:19 GMT");
    }
}
