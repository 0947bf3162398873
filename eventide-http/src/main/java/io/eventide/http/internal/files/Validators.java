package io.eventide.http.internal.files;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;

/**
 * Validators of a file (RFC 9110 §8.8) and the comparisons conditional requests need (§13.1).
 *
 * <p>The entity tag is weak, {@code W/"<size hex>-<mtime millis hex>"}: size and modification time
 * say the bytes are probably unchanged, not that they are byte-for-byte identical (a rewrite within
 * the file system's time granularity keeps both), which is exactly the weak guarantee of §8.8.1.
 * Consequences the RFC spells out: {@code If-None-Match} uses the weak comparison and works, while
 * {@code If-Match} and {@code If-Range} require the strong one (§13.1.1, §13.1.5), which a weak tag
 * never passes.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class Validators {
    /** IMF-fixdate (RFC 9110 §5.6.7), always two-digit days unlike {@code RFC_1123_DATE_TIME}. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    /** Obsolete RFC 850 form, which recipients must still accept (§5.6.7). */
    private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder()
            .appendPattern("EEEE, dd-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
            .appendPattern(" HH:mm:ss 'GMT'")
            .toFormatter(Locale.US);
    /** Obsolete asctime() form, also still to be accepted (§5.6.7). */
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);

    private Validators() {
    }

    /**
     * @param size file size in bytes
     * @param mtimeMillis modification time
     * @return the weak entity tag, quotes included
     */
    public static String etag(long size, long mtimeMillis) {
        return "W/\"" + Long.toHexString(size) + "-" + Long.toHexString(mtimeMillis) + "\"";
    }

    /** @param epochSeconds a time @return it as an IMF-fixdate */
    public static String httpDate(long epochSeconds) {
        return IMF_FIXDATE.format(Instant.ofEpochSecond(epochSeconds));
    }

    /**
     * @param value an HTTP-date in any of the three forms of RFC 9110 §5.6.7, or null
     * @return its epoch seconds, or {@link Long#MIN_VALUE} if absent or invalid (the RFC says to
     *     ignore an invalid date in a precondition, §13.1.3)
     */
    public static long parseHttpDate(String value) {
        if (value == null) {
            return Long.MIN_VALUE;
        }
        String v = value.trim();
        try {
            return DateTimeFormatter.RFC_1123_DATE_TIME.parse(v, Instant::from).getEpochSecond();
        } catch (DateTimeParseException e) {
            // not IMF-fixdate: try the obsolete forms below
        }
        for (DateTimeFormatter f : new DateTimeFormatter[] {RFC_850, ASCTIME}) {
            try {
                return LocalDateTime.parse(v, f).toEpochSecond(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                // try the next form; none matching means "ignore the header"
            }
        }
        return Long.MIN_VALUE;
    }

    /**
     * The weak comparison of {@code If-None-Match} (RFC 9110 §13.1.2): {@code *} matches any current
     * representation, otherwise any listed tag whose opaque part equals ours, W/ or not.
     *
     * @param header the field value
     * @param etag our tag
     * @return whether the condition "none match" is false, i.e. the client's copy is current
     */
    public static boolean anyMatchesWeak(String header, String etag) {
        return anyMatches(header, opaque(etag), false);
    }

    /**
     * The strong comparison of {@code If-Match} and {@code If-Range} (RFC 9110 §13.1.1, §13.1.5):
     * both tags must be strong and equal. {@code *} is handled by the caller where it applies.
     *
     * @param header the field value
     * @param etag our tag
     * @return whether a listed tag matches strongly
     */
    public static boolean anyMatchesStrong(String header, String etag) {
        return !etag.startsWith("W/") && anyMatches(header, etag, true);
    }

    private static boolean anyMatches(String header, String ours, boolean strong) {
        if (header.trim().equals("*")) {
            return true;
        }
        for (String tag : header.split(",")) {
            String t = tag.trim();
            if (strong ? t.equals(ours) : opaque(t).equals(ours)) {
                return true;
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
