package io.eventide.http.internal.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns frames into messages (RFC 6455 §5.4): joins fragments, lets control frames through between
 * them, validates text as it arrives, inflates compressed messages (RFC 7692) and enforces the
 * message limit. Protocol errors come back as close codes: 1002 for bad sequencing or close
 * payloads, 1007 for invalid UTF-8 or corrupt compressed data, 1009 past the limit.
 *
 * <p><b>Threading:</b> loop-confined.
 */
public final class MessageAssembler implements FrameDecoder.Listener {
    /** Receives complete messages and control frames. */
    public interface Events {
        /** @param text a complete text message */
        void text(String text);

        /** @param data a complete binary message, owned by the receiver */
        void binary(ByteBuffer data);

        /** @param payload a ping's payload */
        void ping(byte[] payload);

        /** @param payload a pong's payload */
        void pong(byte[] payload);

        /**
         * @param code the peer's close code, or 1005 when the close frame had none
         * @param reason the reason, possibly empty
         */
        void closeReceived(int code, String reason);
    }

    private final Events events;
    private final int maxMessageBytes;
    private final MessageBuffer message;
    private final Utf8Validator utf8 = new Utf8Validator();
    private final MessageInflater inflater;
    private final byte[] control = new byte[Frames.MAX_CONTROL_PAYLOAD];
    private int controlLen;
    private int frameOpcode;
    private boolean frameFin;
    private int messageOpcode;
    private boolean compressed;
    private int validated;
    private String reason;

    /**
     * @param events receives messages
     * @param maxMessageBytes the message limit (after inflation)
     * @param inflater the permessage-deflate inflater, or null when not negotiated
     */
    public MessageAssembler(Events events, int maxMessageBytes, MessageInflater inflater) {
        this.events = events;
        this.maxMessageBytes = maxMessageBytes;
        this.message = new MessageBuffer(maxMessageBytes);
        this.inflater = inflater;
    }

    /** @return why the last close code was returned */
    public String reason() {
        return reason;
    }

    @Override
    public int frameStart(int opcode, boolean fin, boolean rsv1, long length) {
        frameOpcode = opcode;
        frameFin = fin;
        if (Frames.isControl(opcode)) {
            controlLen = 0;
            return FrameDecoder.OK;
        }
        if (opcode == Frames.CONTINUATION && messageOpcode == 0) {
            return fail(1002, "continuation frame without a message to continue");
        }
        if (opcode != Frames.CONTINUATION) {
            if (messageOpcode != 0) {
                return fail(1002, "new data frame before the fragmented message ended");
            }
            messageOpcode = opcode;
            compressed = rsv1;
            validated = 0;
        }
        if (!compressed && message.size() + length > maxMessageBytes) {
            return fail(1009, "message larger than max-message-bytes (" + maxMessageBytes + ")");
        }
        return FrameDecoder.OK;
    }

    @Override
    public int framePayload(ByteBuffer chunk) {
        if (Frames.isControl(frameOpcode)) {
            int n = chunk.remaining();
            chunk.get(control, controlLen, n);
            controlLen += n;
            return FrameDecoder.OK;
        }
        if (compressed) {
            return inflated(inflater.inflate(chunk, message));
        }
        if (messageOpcode == Frames.TEXT && !utf8.update(chunk)) {
            return fail(1007, "invalid UTF-8 in a text message");
        }
        message.append(chunk); // cannot overflow: the frame's length was checked in frameStart
        return FrameDecoder.OK;
    }

    /**
     * Judges what the inflater produced: the bytes inflated before the message outgrew its limit
     * are validated first, so that the first violation in the message's order wins (1007 for bad
     * UTF-8 within the limit, else 1009), however the frames were cut into reads. Judging the size
     * first made a whole read close with 1009 and the same bytes read one by one with 1007 (found
     * by FrameFuzzer).
     */
    private int inflated(int r) {
        if (r == FrameDecoder.OK || r == 1009) {
            int v = validateNew();
            if (v != FrameDecoder.OK || r == FrameDecoder.OK) {
                return v;
            }
        }
        return fail(r, r == 1009 ? tooBig() : "corrupt compressed data");
    }

    private int validateNew() {
        if (messageOpcode == Frames.TEXT) {
            if (!utf8.update(message.bytes(), validated, message.size() - validated)) {
                return fail(1007, "invalid UTF-8 in a text message");
            }
            validated = message.size();
        }
        return FrameDecoder.OK;
    }

    @Override
    public int frameEnd() {
        if (Frames.isControl(frameOpcode)) {
            return controlFrame();
        }
        if (!frameFin) {
            return FrameDecoder.OK;
        }
        if (compressed) {
            int r = inflated(inflater.finish(message));
            if (r != FrameDecoder.OK) {
                return r;
            }
        }
        if (messageOpcode == Frames.TEXT && !utf8.isComplete()) {
            return fail(1007, "text message ends inside a UTF-8 sequence");
        }
        deliver();
        return FrameDecoder.OK;
    }

    private void deliver() {
        int op = messageOpcode;
        messageOpcode = 0;
        utf8.reset();
        int n = message.size();
        try {
            if (op == Frames.TEXT) {
                events.text(new String(message.bytes(), 0, n, StandardCharsets.UTF_8));
            } else {
                events.binary(ByteBuffer.wrap(Arrays.copyOf(message.bytes(), n)));
            }
        } finally {
            message.clear();
        }
    }

    private int controlFrame() {
        byte[] payload = Arrays.copyOf(control, controlLen);
        switch (frameOpcode) {
            case Frames.PING -> events.ping(payload);
            case Frames.PONG -> events.pong(payload);
            default -> {
                return closeFrame(payload);
            }
        }
        return FrameDecoder.OK;
    }

    /** RFC 6455 §5.5.1 and §7.4: empty, or a valid code plus UTF-8 reason; one byte is malformed. */
    private int closeFrame(byte[] p) {
        if (p.length == 0) {
            events.closeReceived(1005, "");
            return FrameDecoder.STOP;
        }
        if (p.length == 1) {
            return fail(1002, "close frame with a one-byte payload");
        }
        int code = ((p[0] & 0xff) << 8) | (p[1] & 0xff);
        if (!Frames.isValidOnWire(code)) {
            return fail(1002, "invalid close code " + code);
        }
        if (!Utf8Validator.isValid(p, 2, p.length - 2)) {
            return fail(1007, "close reason is not valid UTF-8");
        }
        events.closeReceived(code, new String(p, 2, p.length - 2, StandardCharsets.UTF_8));
        return FrameDecoder.STOP;
    }

    private String tooBig() {
        return "message larger than max-message-bytes (" + maxMessageBytes + ") once inflated";
    }

    private int fail(int code, String why) {
        reason = why;
        return code;
    }

    /** Releases the inflater, if any. */
    public void release() {
        if (inflater != null) {
            inflater.end();
        }
    }
}
