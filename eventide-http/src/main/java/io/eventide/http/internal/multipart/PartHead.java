package io.eventide.http.internal.multipart;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The headers of one part that {@code multipart/form-data} gives meaning to (RFC 7578 §4): the
 * field name and file name from {@code Content-Disposition}, and {@code Content-Type}. Other part
 * headers are ignored, as §4.8 allows; {@code Content-Transfer-Encoding} is deprecated (§4.7).
 *
 * <p>Header bytes are decoded as UTF-8: RFC 7578 §5.1.3 lets a field name or file name be sent
 * that way, and browsers do so. A file name keeps only its last path segment (§4.2: a receiver
 * must not use directory information); it is still client input, never a safe path.
 *
 * <p><b>Threading:</b> immutable; any thread.
 *
 * @param name the field name
 * @param filename the file name without directories; null for a plain field (absent or empty
 *     {@code filename}, as a browser sends for an empty file input)
 * @param contentType the part's Content-Type, {@code text/plain} if absent (RFC 7578 §4.4)
 */
public record PartHead(String name, String filename, String contentType) {
    /** The Content-Type a part has when it declares none (RFC 7578 §4.4). */
    public static final String DEFAULT_TYPE = "text/plain";

    /** @return whether this part is a file */
    public boolean isFile() {
        return filename != null;
    }

    /**
     * @param b header bytes: lines each ending with CRLF, the final empty line excluded
     * @param len number of bytes
     * @return the parsed head
     * @throws io.eventide.http.HttpException 400 if malformed or without a form-data disposition
     */
    static PartHead parse(byte[] b, int len) {
        String disposition = null;
        String type = null;
        int start = 0;
        while (start < len) {
            int end = lineEnd(b, start, len);
            String line = new String(b, start, end - start, StandardCharsets.UTF_8);
            start = end + 2;
            if (line.isEmpty() || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                // RFC 9112 §5.2: obs-fold is obsolete; in a part header nothing legitimate needs it.
                throw MultipartParser.malformed("folded or empty part header line");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw MultipartParser.malformed("part header line without a colon");
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("content-disposition")) {
                disposition = value;
            } else if (name.equals("content-type")) {
                type = value;
            }
        }
        if (disposition == null) {
            throw MultipartParser.malformed("part without Content-Disposition"); // RFC 7578 §4.2
        }
        return fromDisposition(disposition, type == null || type.isEmpty() ? DEFAULT_TYPE : type);
    }

    /** {@return the index of the CR of the CRLF ending the line at {@code start}}; bare CR or LF is an error */
    private static int lineEnd(byte[] b, int start, int len) {
        for (int i = start; i < len; i++) {
            if (b[i] == '\r' && i + 1 < len && b[i + 1] == '\n') {
                return i;
            }
            if (b[i] == '\r' || b[i] == '\n' || b[i] == 0) {
                throw MultipartParser.malformed("bare CR, LF or NUL in part headers");
            }
        }
        throw MultipartParser.malformed("part header line not ended by CRLF");
    }

    private static PartHead fromDisposition(String value, String type) {
        HeaderParams p = new HeaderParams(value);
        String kind = p.token();
        if (!kind.equalsIgnoreCase("form-data")) {
            throw MultipartParser.malformed("part disposition is not form-data");
        }
        String name = null;
        String filename = null;
        while (p.nextParam()) {
            String key = p.paramName();
            String v = p.paramValue();
            if (key.equalsIgnoreCase("name")) {
                name = v;
            } else if (key.equalsIgnoreCase("filename")) {
                filename = v;
            }
            // filename* (RFC 5987) is not to be used with form-data (RFC 7578 §4.2): ignored.
        }
        if (name == null) {
            throw MultipartParser.malformed("part without a field name");
        }
        return new PartHead(name, baseName(filename), type);
    }

    private static String baseName(String filename) {
        if (filename == null) {
            return null;
        }
        int cut = Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\'));
        String base = filename.substring(cut + 1);
        return base.isEmpty() ? null : base;
    }
}
