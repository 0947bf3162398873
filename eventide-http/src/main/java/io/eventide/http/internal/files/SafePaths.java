package io.eventide.http.internal.files;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Turns the decoded rest of a request path into a path under a root, without touching the file
 * system (so it may run on the loop). What it lets through is still checked again on a worker, after
 * symbolic links are resolved ({@link FileLookup}).
 *
 * <p>Rules, in order, each segment taken alone after splitting on {@code /}:
 * <ol>
 *   <li>Empty segments ({@code a//b}, a leading {@code /}) are skipped: joined naively,
 *       {@code "/etc/passwd"} would resolve to an absolute path and escape the root.</li>
 *   <li>{@code .} and {@code ..} are rejected (400): a conforming client removes dot-segments before
 *       sending (RFC 3986 §5.2.4, RFC 9110 §4.2.3), so one that arrives, percent-encoded or not, is
 *       an attack or a broken client, never a file name.</li>
 *   <li>NUL, backslash and other control characters are rejected (400): NUL truncates names in
 *       native calls, and backslash is a separator on Windows.</li>
 *   <li>Dotfiles ({@code .git}, {@code .env}) answer 404 unless allowed, whatever their depth.</li>
 *   <li>The segment must parse as exactly one relative name element on this file system.</li>
 * </ol>
 * The already decoded value is not decoded again: a second decoding would turn {@code %252e%252e}
 * into {@code ..} after the checks.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class SafePaths {
    private SafePaths() {
    }

    /**
     * The outcome: a candidate path, or the status to answer.
     *
     * <p><b>Threading:</b> immutable; any thread.
     *
     * @param path the candidate under the root, or null when {@code status != 0}
     * @param status 0, 400 (malformed) or 404 (hidden)
     */
    public record Resolved(Path path, int status) {
    }

    /**
     * @param root the normalised absolute root
     * @param rest the decoded path below the root, {@code /}-separated
     * @param allowDotfiles whether names starting with a dot may be served
     * @return the candidate, lexically inside {@code root}, or the status to answer
     */
    public static Resolved resolve(Path root, String rest, boolean allowDotfiles) {
        Path p = root;
        for (String seg : rest.split("/", -1)) {
            if (seg.isEmpty()) {
                continue;
            }
            int status = check(seg, allowDotfiles);
            if (status != 0) {
                return new Resolved(null, status);
            }
            Path name;
            try {
                name = root.getFileSystem().getPath(seg);
            } catch (InvalidPathException e) {
                return new Resolved(null, 400);
            }
            if (name.isAbsolute() || name.getRoot() != null || name.getNameCount() != 1) {
                return new Resolved(null, 400);
            }
            p = p.resolve(name);
        }
        Path normal = p.normalize();
        // Belt and braces: the rules above already keep the path inside the root lexically.
        return normal.startsWith(root) ? new Resolved(normal, 0) : new Resolved(null, 404);
    }

    /**
     * Strict percent-decoding of a raw path (RFC 3986 §2.1), for handlers mounted without a
     * wildcard, whose path the router did not decode. {@code +} stays a plus: it means a space only
     * in form-encoded queries.
     *
     * @param raw the raw path
     * @return the decoded path (UTF-8), or null if an escape is malformed
     */
    public static String percentDecode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
            int lo = hi < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
            if (lo < 0) {
                return null;
            }
            out.write(hi << 4 | lo);
            i += 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int check(String seg, boolean allowDotfiles) {
        if (seg.equals(".") || seg.equals("..")) {
            return 400;
        }
        for (int i = 0; i < seg.length(); i++) {
            char c = seg.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                return 400;
            }
        }
        return seg.charAt(0) == '.' && !allowDotfiles ? 404 : 0;
    }
}
