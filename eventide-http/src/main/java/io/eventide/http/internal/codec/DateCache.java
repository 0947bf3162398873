package io.eventide.http.internal.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The {@code Date} response field (RFC 9110 §6.6.1), pre-encoded as
 * {@code Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n} and re-formatted at most once per second, in
 * place, without allocating. Formatting is plain arithmetic on the epoch second (proleptic
 * Gregorian calendar, UTC), so no {@code java.time} objects are made on the hot path.
 *
 * <pre>
 *  dateCache.write(out, loop.now());   // one per loop; refreshed when the second changes
 * </pre>
 *
 * <p><b>Threading:</b> not thread-safe; one instance per loop, used by that loop only.
 */
public final class DateCache {
    /** Bytes written by {@link #write}: {@code "Date: "}, 29 bytes of IMF-fixdate, CRLF. */
    public static final int LENGTH = 37;

    private static final byte[] DAYS = "SunMonTueWedThuFriSat".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MONTHS =
            "JanFebMarAprMayJunJulAugSepOctNovDec".getBytes(StandardCharsets.US_ASCII);
    private static final int VALUE = 6;

    private final byte[] line = "Date: Thu, 01 Jan 1970 00:00:00 GMT\r\n".getBytes(StandardCharsets.US_ASCII);
    private long second = Long.MIN_VALUE;

    /**
     * Writes the whole {@code Date} field line, CRLF included.
     *
     * @param out where to write; needs {@value #LENGTH} bytes of room
     * @param epochMillis the current time
     */
    public void write(ByteBuffer out, long epochMillis) {
        refresh(epochMillis);
        out.put(line);
    }

    /**
     * {@return the IMF-fixdate for {@code epochMillis}, such as {@code Sun, 06 Nov 1994 08:49:37 GMT}};
     * allocates, so meant for tests and logs
     *
     * @param epochMillis the time to format
     */
    public String value(long epochMillis) {
        refresh(epochMillis);
        return new String(line, VALUE, LENGTH - VALUE - 2, StandardCharsets.US_ASCII);
    }

    private void refresh(long epochMillis) {
        long now = Math.floorDiv(epochMillis, 1000);
        if (now != second) {
            second = now;
            format(now);
        }
    }

    private void format(long epochSecond) {
        long days = Math.floorDiv(epochSecond, 86_400);
        int secondOfDay = Math.floorMod(epochSecond, 86_400);
        int dayOfWeek = Math.floorMod(days + 4, 7); // 1970-01-01 was a Thursday
        System.arraycopy(DAYS, dayOfWeek * 3, line, VALUE, 3);
        // Civil date from days since the epoch: H. Hinnant, "chrono-Compatible Low-Level Date
        // Algorithms", days_from_civil inverted; exact for every proleptic Gregorian date.
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        twoDigits(VALUE + 5, day);
        System.arraycopy(MONTHS, (month - 1) * 3, line, VALUE + 8, 3);
        twoDigits(VALUE + 12, (int) (year / 100 % 100));
        twoDigits(VALUE + 14, (int) (year % 100));
        twoDigits(VALUE + 17, secondOfDay / 3600);
        twoDigits(VALUE + 20, secondOfDay / 60 % 60);
        twoDigits(VALUE + 23, secondOfDay % 60);
    }

    private void twoDigits(int at, int value) {
        line[at] = (byte) ('0' + value / 10);
        line[at + 1] = (byte) ('0' + value % 10);
    }
}
