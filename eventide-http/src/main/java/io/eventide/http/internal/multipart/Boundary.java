package io.eventide.http.internal.multipart;

import io.eventide.http.HttpException;

/**
 * Extracts and checks the boundary of a {@code multipart/form-data} Content-Type.
 *
 * <pre>
 *  multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW   ok
 *  Multipart/Form-Data; charset=utf-8; BOUNDARY="a b'c"                ok (case, quotes)
 *  multipart/mixed; boundary=x                                         415
 *  multipart/form-data                                                 400 (no boundary)
 *  multipart/form-data; boundary=a{b                                   400 (not a bchar)
 * </pre>
 *
 * <p>RFC 2046 §5.1.1: 1 to 70 characters from {@code bchars} (digits, letters and
 * {@code '()+_,-./:=?} and space), not ending with a space. The limit also bounds the delimiter
 * search's state.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class Boundary {
    /** RFC 2046 §5.1.1. */
    public static final int MAX_LENGTH = 70;

    private Boundary() {
    }

    /**
     * @param contentType the request's Content-Type, or null
     * @return the boundary
     * @throws HttpException 415 if not {@code multipart/form-data}; 400 if the boundary is missing
     *     or invalid
     */
    public static String parse(String contentType) {
        if (contentType == null) {
            throw new HttpException(415, "expected Content-Type multipart/form-data");
        }
        HeaderParams p = new HeaderParams(contentType);
        if (!p.token().equalsIgnoreCase("multipart/form-data")) {
            throw new HttpException(415, "expected Content-Type multipart/form-data");
        }
        String boundary = null;
        while (p.nextParam()) {
            if (p.paramName().equalsIgnoreCase("boundary")) {
                boundary = p.paramValue();
            }
        }
        if (boundary == null) {
            throw new HttpException(400, "multipart/form-data without a boundary parameter");
        }
        if (!valid(boundary)) {
            throw new HttpException(400, "invalid multipart boundary (RFC 2046: 1 to 70 bchars)");
        }
        return boundary;
    }

    private static boolean valid(String b) {
        if (b.isEmpty() || b.length() > MAX_LENGTH || b.endsWith(" ")) {
            return false;
        }
        for (int i = 0; i < b.length(); i++) {
            char c = b.charAt(i);
            boolean alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!alnum && "'()+_,-./:=? ".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}
