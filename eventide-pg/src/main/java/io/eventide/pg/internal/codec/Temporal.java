package io.eventide.pg.internal.codec;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * PostgreSQL's binary date and time representations: days and microseconds since 2000-01-01, with
 * the largest and smallest values standing for {@code infinity} and {@code -infinity} (mapped to
 * Java's MAX and MIN, as pgjdbc does).
 */
final class Temporal {
    static final LocalDate PG_EPOCH_DATE = LocalDate.of(2000, 1, 1);
    static final LocalDateTime PG_EPOCH = PG_EPOCH_DATE.atStartOfDay();
    private static final long EPOCH_DAY_2000 = PG_EPOCH_DATE.toEpochDay();
    private static final long DAY_MICROS = 86_400_000_000L;

    private Temporal() {
    }

    static LocalDate date(int days) {
        if (days == Integer.MAX_VALUE) {
            return LocalDate.MAX;
        }
        if (days == Integer.MIN_VALUE) {
            return LocalDate.MIN;
        }
        return LocalDate.ofEpochDay(EPOCH_DAY_2000 + days);
    }

    static int days(LocalDate d) {
        if (d.equals(LocalDate.MAX)) {
            return Integer.MAX_VALUE;
        }
        if (d.equals(LocalDate.MIN)) {
            return Integer.MIN_VALUE;
        }
        return Math.toIntExact(d.toEpochDay() - EPOCH_DAY_2000);
    }

    static LocalDateTime timestamp(long micros) {
        if (micros == Long.MAX_VALUE) {
            return LocalDateTime.MAX;
        }
        if (micros == Long.MIN_VALUE) {
            return LocalDateTime.MIN;
        }
        return PG_EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    static long micros(LocalDateTime t) {
        if (t.equals(LocalDateTime.MAX)) {
            return Long.MAX_VALUE;
        }
        if (t.equals(LocalDateTime.MIN)) {
            return Long.MIN_VALUE;
        }
        return ChronoUnit.MICROS.between(PG_EPOCH, t);
    }

    static OffsetDateTime timestamptz(long micros) {
        if (micros == Long.MAX_VALUE) {
            return OffsetDateTime.MAX;
        }
        if (micros == Long.MIN_VALUE) {
            return OffsetDateTime.MIN;
        }
        return timestamp(micros).atOffset(ZoneOffset.UTC);
    }

    static long micros(OffsetDateTime t) {
        if (t.equals(OffsetDateTime.MAX)) {
            return Long.MAX_VALUE;
        }
        if (t.equals(OffsetDateTime.MIN)) {
            return Long.MIN_VALUE;
        }
        return micros(t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
    }

    static LocalTime time(long micros) {
        // 24:00:00 is a valid PostgreSQL time; Java has no such value, pgjdbc maps it to MAX.
        return micros >= DAY_MICROS ? LocalTime.MAX : LocalTime.ofNanoOfDay(micros * 1000);
    }

    static long micros(LocalTime t) {
        return t.equals(LocalTime.MAX) ? DAY_MICROS : t.toNanoOfDay() / 1000;
    }
}
