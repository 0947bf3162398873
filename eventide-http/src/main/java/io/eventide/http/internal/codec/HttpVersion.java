package io.eventide.http.internal.codec;

/**
 * The HTTP versions the codec speaks (RFC 9112 §2.3); anything else is answered with 505.
 *
 * <p><b>Threading:</b> immutable; any thread.
 */
public enum HttpVersion {
    /** {@code HTTP/1.0}: connections close after each exchange unless the peer asks otherwise. */
    HTTP_1_0("HTTP/1.0"),
    /** {@code HTTP/1.1}: connections persist unless either side sends {@code Connection: close}. */
    HTTP_1_1("HTTP/1.1");

    private final String text;

    HttpVersion(String text) {
        this.text = text;
    }

    /** {@return the version as written on the wire, for example {@code HTTP/1.1}} */
    public String text() {
        return text;
    }

    /** {@return the minor version number: 0 or 1} */
    public int minor() {
        return ordinal();
    }
}
