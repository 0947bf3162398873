package io.eventide.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HistogramTest {
    @Test
    void percentilesAreWithinBucketPrecision() {
        Histogram h = new Histogram();
        for (int i = 1; i <= 10_000; i++) {
            h.record(i * 1_000L);
        }
        assertThat(h.count()).isEqualTo(10_000);
        assertThat(h.percentile(50)).isBetween(5_000_000L, 5_000_000L * 9 / 8);
        assertThat(h.percentile(99)).isBetween(9_900_000L, 9_900_000L * 9 / 8);
        assertThat(h.percentile(100)).isEqualTo(10_000_000L);
        assertThat(h.max()).isEqualTo(10_000_000L);
        assertThat(h.mean()).isEqualTo(5_000_500.0);
    }

    @Test
    void everyValueMapsToABucketWhoseBoundCoversIt() {
        long[] samples = {0, 1, 7, 8, 9, 15, 16, 17, 1023, 1024, 123_456_789L, Long.MAX_VALUE / 3, Long.MAX_VALUE};
        for (long v : samples) {
            int i = Histogram.index(v);
            assertThat(Histogram.upperBound(i)).as("bound of %d", v).isGreaterThanOrEqualTo(v);
            if (i > 0) {
                assertThat(Histogram.upperBound(i - 1)).as("previous bound of %d", v).isLessThan(v);
            }
        }
    }

    @Test
    void cumulativeCounts() {
        Histogram h = new Histogram();
        h.record(3);
        h.record(100);
        h.record(10_000);
        assertThat(h.countAtOrBelow(3)).isEqualTo(1);
        assertThat(h.countAtOrBelow(Long.MAX_VALUE)).isEqualTo(3);
    }
}
