package io.eventide.http.websocket;

import static io.eventide.http.websocket.RawWs.frame;
import static io.eventide.http.websocket.RawWs.masked;
import static io.eventide.http.websocket.RawWs.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.http.internal.websocket.FrameDecoder;
import io.eventide.http.internal.websocket.FrameEncoder;
import io.eventide.http.internal.websocket.MessageAssembler;
import io.eventide.http.internal.websocket.MessageInflater;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The frame decoder and message assembler, without sockets: fed whole, byte by byte, and split at every offset. */
class FrameCodecTest {

    /** Records what the assembler delivers, plus the decoder's result. */
    static final class Recorder implements MessageAssembler.Events {
        final List<String> log = new ArrayList<>();

        @Override
        public void text(String text) {
            log.add("text:" + text);
        }

        @Override
        public void binary(ByteBuffer data) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            log.add("binary:" + b.length + ":" + Arrays.hashCode(b));
        }

        @Override
        public void ping(byte[] payload) {
            log.add("ping:" + new String(payload));
        }

        @Override
        public void pong(byte[] payload) {
            log.add("pong:" + new String(payload));
        }

        @Override
        public void closeReceived(int code, String reason) {
            log.add("close:" + code + ":" + reason);
        }
    }

    static List<String> decode(byte[] stream, int maxMessage, boolean server, boolean deflate, int... splits) {
        Recorder r = new Recorder();
        MessageAssembler a = new MessageAssembler(r, maxMessage, deflate ? new MessageInflater(false) : null);
        FrameDecoder d = new FrameDecoder(server, deflate, a);
        // One direct copy (unmasking happens in place), read in slices as a socket delivers them.
        ByteBuffer copy = ByteBuffer.allocateDirect(stream.length).put(stream).flip();
        int from = 0;
        int result = 0;
        for (int i = 0; i <= splits.length && result == 0; i++) {
            int to = i < splits.length ? splits[i] : stream.length;
            result = d.decode(copy.slice(from, to - from));
            from = to;
        }
        a.release(); // the inflater's native memory, as a session does when it closes
        r.log.add("result:" + result);
        return r.log;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    /** Text, a 16-bit length, a fragmented message with a ping between fragments, empty frames, close. */
    static byte[] sampleStream() {
        return concat(
                masked(0x1, utf8("héllo")),
                masked(0x2, bytes(300)),
                frame(0x01, utf8("frag-"), true),            // text, not final
                masked(0x9, utf8("p")),                     // ping between fragments
                frame(0x00, utf8("mé"), true),               // continuation, splits é? no: whole
                frame(0x00, new byte[0], true),              // empty continuation
                frame(0x80, utf8("nt"), true),               // final continuation
                masked(0x1, new byte[0]),                   // empty text message
                masked(0xA, utf8("q")),
                masked(0x8, RawWs.closePayload(1000, "bye")));
    }

    @Test
    void splittingAtEveryOffsetGivesTheSameMessages() {
        byte[] s = sampleStream();
        List<String> whole = decode(s, 1 << 20, true, false);
        assertThat(whole).containsExactly("text:héllo", "binary:300:" + Arrays.hashCode(bytes(300)), "ping:p",
                "text:frag-mént", "text:", "pong:q", "close:1000:bye", "result:-1");
        for (int cut = 1; cut < s.length; cut++) {
            assertThat(decode(s, 1 << 20, true, false, cut)).as("split at %d", cut).isEqualTo(whole);
        }
        int[] every = new int[s.length - 1];
        for (int i = 0; i < every.length; i++) {
            every[i] = i + 1;
        }
        assertThat(decode(s, 1 << 20, true, false, every)).as("byte by byte").isEqualTo(whole);
    }

    @Test
    void sixtyFourBitLengthsAcrossSplits() {
        byte[] big = bytes(70_000);
        byte[] s = concat(masked(0x2, big), masked(0x1, utf8("after")));
        List<String> expected = List.of("binary:70000:" + Arrays.hashCode(big), "text:after", "result:0");
        assertThat(decode(s, 1 << 20, true, false)).isEqualTo(expected);
        for (int cut : new int[] {1, 2, 5, 9, 10, 13, 14, 15, 4096, 65_536, 70_013, 70_014, 70_015}) {
            assertThat(decode(s, 1 << 20, true, false, cut)).as("split at %d", cut).isEqualTo(expected);
        }
    }

    @Test
    void utf8IsCheckedAcrossFragmentsAndFailsFast() {
        byte[] e9 = {(byte) 0xC3};                        // first byte of é, completed in the next fragment
        byte[] ok = concat(frame(0x01, e9, true), frame(0x80, new byte[] {(byte) 0xA9}, true));
        assertThat(decode(ok, 100, true, false)).containsExactly("text:é", "result:0");
        // An invalid sequence in the first fragment fails before the message ends (fail fast).
        byte[] bad = frame(0x01, new byte[] {(byte) 0xC0, (byte) 0xAF}, true);
        assertThat(decode(bad, 100, true, false)).containsExactly("result:1007");
        // A message ending inside a sequence is invalid too.
        assertThat(decode(frame(0x81, e9, true), 100, true, false)).containsExactly("result:1007");
    }

    @Test
    void protocolViolationsGiveTheirCloseCodes() {
        assertThat(decode(frame(0x81, utf8("x"), false), 100, true, false)).as("unmasked from client").containsExactly("result:1002");
        assertThat(decode(frame(0x81, utf8("x"), true), 100, false, false)).as("masked from server").containsExactly("result:1002");
        assertThat(decode(frame(0xC1, utf8("x"), true), 100, true, false)).as("RSV1 without deflate").containsExactly("result:1002");
        assertThat(decode(frame(0xA1, utf8("x"), true), 100, true, false)).as("RSV2").containsExactly("result:1002");
        assertThat(decode(frame(0x83, utf8("x"), true), 100, true, false)).as("opcode 3").containsExactly("result:1002");
        assertThat(decode(frame(0x8B, utf8("x"), true), 100, true, false)).as("opcode 11").containsExactly("result:1002");
        assertThat(decode(frame(0x09, utf8("x"), true), 100, true, false)).as("fragmented ping").containsExactly("result:1002");
        assertThat(decode(masked(0x9, new byte[126]), 200, true, false)).as("ping > 125").containsExactly("result:1002");
        assertThat(decode(masked(0x0, utf8("x")), 100, true, false)).as("lone continuation").containsExactly("result:1002");
        assertThat(decode(concat(frame(0x01, utf8("a"), true), masked(0x1, utf8("b"))), 100, true, false))
                .as("new message inside a fragmented one").containsExactly("result:1002");
        assertThat(decode(masked(0x8, new byte[] {3}), 100, true, false)).as("1-byte close").containsExactly("result:1002");
        assertThat(decode(masked(0x8, RawWs.closePayload(1005, "")), 100, true, false)).containsExactly("result:1002");
        assertThat(decode(masked(0x8, RawWs.closePayload(999, "")), 100, true, false)).containsExactly("result:1002");
        assertThat(decode(masked(0x8, RawWs.closePayload(2000, "")), 100, true, false)).containsExactly("result:1002");
        assertThat(decode(masked(0x8, concat(RawWs.closePayload(1000, ""), new byte[] {(byte) 0xFF})), 100, true, false))
                .as("close reason not UTF-8").containsExactly("result:1007");
        assertThat(decode(masked(0x2, new byte[101]), 100, true, false)).as("too big").containsExactly("result:1009");
        assertThat(decode(concat(frame(0x02, new byte[60], true), frame(0x80, new byte[60], true)), 100, true, false))
                .as("too big across fragments").containsExactly("result:1009");
    }

    @Test
    void encoderUsesTheShortestLengthAndTheDecoderReadsItBack() {
        for (int n : new int[] {0, 125, 126, 65_535, 65_536}) {
            ByteBuffer f = FrameEncoder.unmaskedFrame(0x2, bytes(n), false);
            assertThat(f.remaining()).isEqualTo(FrameEncoder.headerSize(n, false) + n);
            byte[] b = new byte[f.remaining()];
            f.get(b);
            assertThat(decode(b, 1 << 20, false, false)).containsExactly("binary:" + n + ":" + Arrays.hashCode(bytes(n)), "result:0");
        }
    }

    /**
     * Found by FrameFuzzer: a compressed text message that both holds invalid UTF-8 within the
     * limit and inflates past it closed with 1009 when read whole and 1007 when read byte by
     * byte. The first violation in the message's order wins now, however the frame is read.
     */
    @Test
    void compressedTextThatIsBothInvalidAndTooBigClosesTheSameHoweverRead() {
        // "A" then 0x80 (a stray continuation byte: invalid UTF-8), then a run inflating past 100.
        java.util.zip.Deflater z = new java.util.zip.Deflater(9, true);
        z.setInput(concat(utf8("A"), new byte[] {(byte) 0x80}, bytes(300)));
        byte[] out = new byte[1024];
        int n = z.deflate(out, 0, out.length, java.util.zip.Deflater.SYNC_FLUSH);
        z.end();
        byte[] stream = concat(frame(0xC1, Arrays.copyOf(out, n - 4), true), masked(0x8, new byte[0]));
        int[] everyByte = new int[stream.length - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertThat(decode(stream, 100, true, true)).containsExactly("result:1007");
        assertThat(decode(stream, 100, true, true, everyByte)).containsExactly("result:1007");
    }
}
