package io.eventide.http.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.http.internal.websocket.DeflateParams;
import io.eventide.http.internal.websocket.ExtensionNegotiation;
import io.eventide.http.internal.websocket.FrameDecoder;
import io.eventide.http.internal.websocket.MessageAssembler;
import io.eventide.http.internal.websocket.MessageDeflater;
import io.eventide.http.internal.websocket.MessageInflater;
import io.eventide.http.internal.websocket.ServerHandshake;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** permessage-deflate (RFC 7692) and the handshake computations, without sockets. */
class DeflateTest {

    static List<String> roundTrip(boolean noContextTakeover, String... messages) {
        MessageDeflater deflater = new MessageDeflater(-1, noContextTakeover);
        FrameCodecTest.Recorder r = new FrameCodecTest.Recorder();
        MessageAssembler a = new MessageAssembler(r, 1 << 20, new MessageInflater(noContextTakeover));
        FrameDecoder d = new FrameDecoder(true, true, a);
        for (String m : messages) {
            byte[] z = deflater.compress(m.getBytes(StandardCharsets.UTF_8), 0, m.length());
            assertThat(d.decode(ByteBuffer.wrap(RawWs.frame(0xC1, z, true)))).isZero();
        }
        deflater.end();
        a.release();
        return r.log;
    }

    @Test
    void roundTripsWithAndWithoutContextTakeover() {
        String m = "the quick brown fox jumps over the lazy dog ".repeat(20);
        assertThat(roundTrip(false, m, m, "x", "")).containsExactly("text:" + m, "text:" + m, "text:x", "text:");
        assertThat(roundTrip(true, m, m, "x", "")).containsExactly("text:" + m, "text:" + m, "text:x", "text:");
    }

    @Test
    void contextTakeoverMakesTheRepeatSmaller() {
        byte[] m = "repetitive payload, repetitive payload, and some more text to compress".getBytes();
        MessageDeflater keep = new MessageDeflater(-1, false);
        MessageDeflater reset = new MessageDeflater(-1, true);
        keep.compress(m, 0, m.length);
        reset.compress(m, 0, m.length);
        assertThat(keep.compress(m, 0, m.length).length).isLessThan(reset.compress(m, 0, m.length).length);
        keep.end();
        reset.end();
    }

    @Test
    void aZipBombIsStoppedAtTheMessageLimit() {
        byte[] zeros = new byte[10 * 1024 * 1024];
        MessageDeflater deflater = new MessageDeflater(9, false);
        byte[] z = deflater.compress(zeros, 0, zeros.length);
        assertThat(z.length).isLessThan(20_000); // ten MiB in a small frame
        FrameCodecTest.Recorder r = new FrameCodecTest.Recorder();
        MessageAssembler a = new MessageAssembler(r, 64 * 1024, new MessageInflater(false));
        FrameDecoder d = new FrameDecoder(true, true, a);
        assertThat(d.decode(ByteBuffer.wrap(RawWs.frame(0xC2, z, true)))).isEqualTo(1009);
        assertThat(r.log).isEmpty();
    }

    @Test
    void negotiation() {
        assertThat(ExtensionNegotiation.accept(List.of("permessage-deflate; client_max_window_bits"), false, false))
                .isEqualTo(new DeflateParams(false, false, 15, 15));
        assertThat(ExtensionNegotiation.accept(List.of("permessage-deflate; server_no_context_takeover; client_no_context_takeover"), false, false).toHeader())
                .isEqualTo("permessage-deflate; server_no_context_takeover; client_no_context_takeover");
        // A window below 15 bits for our compressor cannot be honoured: that offer is declined, the next taken.
        assertThat(ExtensionNegotiation.accept(List.of("permessage-deflate; server_max_window_bits=10, permessage-deflate"), false, true))
                .isEqualTo(new DeflateParams(false, true, 15, 15));
        assertThat(ExtensionNegotiation.accept(List.of("permessage-deflate; foo=1"), false, false)).isNull();
        assertThat(ExtensionNegotiation.accept(List.of("permessage-deflate; server_no_context_takeover; server_no_context_takeover"), false, false)).isNull();
        assertThat(ExtensionNegotiation.accept(List.of("x-webkit-deflate-frame"), false, false)).isNull();
    }

    @Test
    void acceptKeyOfRfc6455Section1_3() {
        assertThat(ServerHandshake.accept("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }
}
