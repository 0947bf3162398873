package io.eventide.http.internal.multipart;

/**
 * A cursor over a header value of the form {@code value *( OWS ";" OWS name "=" value )}, where a
 * parameter value is a token or a quoted-string (RFC 9110 §5.6.6, §5.6.4), as in
 * {@code form-data; name="a"} and {@code multipart/form-data; boundary=xyz}.
 *
 * <p>Quoted-strings honour the quoted-pairs {@code \"} and {@code \\} only, like Go's
 * {@code mime.ParseMediaType}: old clients send Windows paths ({@code "C:\dir\f.txt"}) unescaped,
 * and reading {@code \d} as {@code d} would glue the segments together. Browsers do not escape at
 * all (the HTML standard percent-encodes {@code "} as {@code %22}); values are passed on as
 * received, so {@code a%22b} stays so.
 *
 * <p><b>Threading:</b> not thread-safe; a short-lived local cursor.
 */
final class HeaderParams {
    private final String s;
    private int pos;
    private String name;
    private String value;

    HeaderParams(String s) {
        this.s = s;
    }

    /** {@return the leading value (up to the first ';'), trimmed} */
    String token() {
        int semi = s.indexOf(';');
        int end = semi < 0 ? s.length() : semi;
        String t = s.substring(0, end).trim();
        pos = end;
        return t;
    }

    /**
     * Moves to the next parameter.
     *
     * @return false at the end
     * @throws io.eventide.http.HttpException 400 if the parameters are malformed
     */
    boolean nextParam() {
        skipOws();
        if (pos >= s.length()) {
            return false;
        }
        if (s.charAt(pos) != ';') {
            throw MultipartParser.malformed("bad header parameter");
        }
        pos++;
        skipOws();
        if (pos >= s.length()) {
            return false; // a trailing ';' is tolerated, as senders commonly emit one
        }
        int eq = s.indexOf('=', pos);
        if (eq < 0) {
            throw MultipartParser.malformed("header parameter without '='");
        }
        name = s.substring(pos, eq).trim();
        pos = eq + 1;
        skipOws();
        value = pos < s.length() && s.charAt(pos) == '"' ? quoted() : bare();
        return true;
    }

    String paramName() {
        return name;
    }

    String paramValue() {
        return value;
    }

    private String quoted() {
        StringBuilder sb = new StringBuilder();
        for (pos++; pos < s.length(); pos++) {
            char c = s.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c == '\\' && pos + 1 < s.length() && (s.charAt(pos + 1) == '"' || s.charAt(pos + 1) == '\\')) {
                c = s.charAt(++pos);
            }
            sb.append(c);
        }
        throw MultipartParser.malformed("unterminated quoted-string");
    }

    private String bare() {
        int start = pos;
        while (pos < s.length() && s.charAt(pos) != ';') {
            pos++;
        }
        return s.substring(start, pos).trim();
    }

    private void skipOws() {
        while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
            pos++;
        }
    }
}
