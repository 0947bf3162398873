package io.eventide.http.internal.websocket;

/**
 * Opcodes and close codes of RFC 6455 §5.2 and §7.4, and which close codes are legal where.
 *
 * <p><b>Threading:</b> constants and pure functions; any thread.
 */
public final class Frames {
    /** Continuation frame. */
    public static final int CONTINUATION = 0x0;
    /** Text frame. */
    public static final int TEXT = 0x1;
    /** Binary frame. */
    public static final int BINARY = 0x2;
    /** Close frame. */
    public static final int CLOSE = 0x8;
    /** Ping frame. */
    public static final int PING = 0x9;
    /** Pong frame. */
    public static final int PONG = 0xA;
    /** Largest control frame payload (RFC 6455 §5.5). */
    public static final int MAX_CONTROL_PAYLOAD = 125;
    /** Largest close reason: 125 bytes minus the two-byte code. */
    public static final int MAX_CLOSE_REASON = 123;

    private Frames() {
    }

    /** @param opcode an opcode @return whether it is a control opcode (high bit of the nibble set) */
    public static boolean isControl(int opcode) {
        return (opcode & 0x8) != 0;
    }

    /** @param opcode an opcode @return whether RFC 6455 defines it (others are reserved) */
    public static boolean isKnown(int opcode) {
        return opcode <= BINARY || (opcode >= CLOSE && opcode <= PONG);
    }

    /**
     * @param reason a close reason of ours, possibly long
     * @return it cut to fit a close frame (at most 123 bytes in UTF-8)
     */
    public static String truncateReason(String reason) {
        byte[] b = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // A cut inside a character decodes to U+FFFD (3 bytes): 100 + 3 still fits.
        return b.length <= MAX_CLOSE_REASON ? reason : new String(b, 0, 100, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Codes a peer may put on the wire (RFC 6455 §7.4.1 plus the IANA registry's 1012..1014, as
     * Node's {@code ws} accepts them): 1004 is reserved and 1005, 1006 and 1015 are for local
     * reporting only; 3000..4999 belong to libraries and applications.
     *
     * @param code a close code
     * @return whether it may appear in a close frame
     */
    public static boolean isValidOnWire(int code) {
        return (code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006)
                || (code >= 3000 && code <= 4999);
    }
}
