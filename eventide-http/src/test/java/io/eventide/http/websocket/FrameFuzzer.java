package io.eventide.http.websocket;

import io.eventide.http.internal.codec.SplitEverywhere;

import java.util.Arrays;

/**
 * Fuzz target: WebSocket frames through the decoder and the message assembler (what a session
 * runs), as a server (masked frames expected) or a client, with or without permessage-deflate,
 * with a small or a large message limit: the first byte picks. Properties: no exception (protocol
 * errors are close codes), and the same messages, control frames and result however the stream is
 * cut. Bytes after a Close frame (or a protocol error) are left unread, as a session does.
 *
 * <p><b>Threading:</b> called by Jazzer on its thread.
 */
public final class FrameFuzzer {
    private FrameFuzzer() {
    }

    /** @param input a flags byte, then the frame stream */
    public static void fuzzerTestOneInput(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int flags = input[0];
        boolean server = (flags & 1) != 0;
        boolean deflate = (flags & 2) != 0;
        int maxMessage = (flags & 4) != 0 ? 100 : 1 << 20;
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);
        SplitEverywhere.check(stream, cuts ->
                String.join("\n", FrameCodecTest.decode(stream, maxMessage, server, deflate, cuts)));
    }
}
