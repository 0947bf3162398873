package io.eventide.http.internal.files;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Content-Type by file extension, for the static file handler. Textual types carry
 * {@code ; charset=utf-8}: without it a browser guesses the charset of {@code text/*} types from the
 * content (RFC 9110 §8.3.1 leaves the default to the media type, and {@code text/plain} still
 * defaults to US-ASCII in RFC 2046 §4.1.2), and a wrong guess garbles non-ASCII text. Unknown
 * extensions get {@code application/octet-stream} (RFC 9110 §8.3: a recipient may then treat the
 * content as opaque bytes), never a sniffed type.
 *
 * <p><b>Threading:</b> immutable; any thread.
 */
public final class MimeTypes {
    /** The type of files whose extension is unknown. */
    public static final String DEFAULT = "application/octet-stream";
    private static final String UTF8 = "; charset=utf-8";
    private static final Map<String, String> TYPES = new HashMap<>();

    static {
        text("html", "text/html");
        text("htm", "text/html");
        text("css", "text/css");
        text("js", "text/javascript"); // RFC 9239 §6: text/javascript is the one to use
        text("mjs", "text/javascript");
        text("json", "application/json");
        text("map", "application/json");
        text("webmanifest", "application/manifest+json");
        text("txt", "text/plain");
        text("md", "text/markdown");
        text("csv", "text/csv");
        text("xml", "application/xml");
        text("svg", "image/svg+xml");
        binary("png", "image/png");
        binary("jpg", "image/jpeg");
        binary("jpeg", "image/jpeg");
        binary("gif", "image/gif");
        binary("webp", "image/webp");
        binary("avif", "image/avif");
        binary("ico", "image/x-icon");
        binary("bmp", "image/bmp");
        binary("wasm", "application/wasm");
        binary("pdf", "application/pdf");
        binary("zip", "application/zip");
        binary("gz", "application/gzip");
        binary("tar", "application/x-tar");
        binary("mp4", "video/mp4");
        binary("webm", "video/webm");
        binary("mp3", "audio/mpeg");
        binary("ogg", "audio/ogg");
        binary("wav", "audio/wav");
        binary("woff", "font/woff");
        binary("woff2", "font/woff2");
        binary("ttf", "font/ttf");
        binary("otf", "font/otf");
    }

    private MimeTypes() {
    }

    private static void text(String ext, String type) {
        TYPES.put(ext, type + UTF8);
    }

    private static void binary(String ext, String type) {
        TYPES.put(ext, type);
    }

    /**
     * {@return the Content-Type for this file name, {@link #DEFAULT} if the extension is unknown}
     *
     * @param fileName a file name (a path's last element); the extension is matched in any case
     */
    public static String forFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0 || dot == fileName.length() - 1) {
            return DEFAULT;
        }
        return TYPES.getOrDefault(fileName.substring(dot + 1).toLowerCase(Locale.ROOT), DEFAULT);
    }
}
