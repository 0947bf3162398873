package io.eventide.http.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.http.HttpHeaders;
import io.eventide.http.internal.codec.ChunkedDecoder.Result;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class ChunkedDecoderTest {
    private static final Http1Limits SMALL = new Http1Limits(64, 256, 3, 16, 40);

    @Test
    void decodesChunksHoweverSplit() {
        assertThat(decodeEveryWay("5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n"))
                .isEqualTo("END@27 data=hello, world trailers=[]");
    }

    @Test
    void stopsAtTheEndOfTheBody() {
        assertThat(decodeEveryWay("1\r\na\r\n0\r\n\r\nGET / HTTP/1.1\r\n")).isEqualTo("END@11 data=a trailers=[]");
    }

    @Test
    void acceptsHexCaseLeadingZerosAndExtensions() {
        assertThat(decodeEveryWay("0A\r\n0123456789\r\n00b;name=value;flag\r\nhello world\r\n"
                + "1 ; q=\"a \\\"quoted\\\" ;x\"\r\n!\r\n0;last\r\n\r\n"))
                .isEqualTo("END@88 data=0123456789hello world! trailers=[]");
        assertThat(decodeEveryWay("F\r\n" + "f".repeat(15) + "\r\n0\r\n\r\n")).contains("data=" + "f".repeat(15));
    }

    @Test
    void decodesTrailers() {
        assertThat(decodeEveryWay("3\r\nabc\r\n0\r\nchecksum: 900150983cd24fb0\r\nX-Done:  yes \r\n\r\nNEXT"))
                .isEqualTo("END@56 data=abc trailers=[checksum: 900150983cd24fb0, X-Done: yes]");
    }

    @Test
    void handsOutViewsOfTheInputNotCopies() {
        byte[] bytes = "4\r\nbody\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        ChunkedDecoder decoder = new ChunkedDecoder(TestLimits.DEFAULTS);
        assertThat(decoder.decode(in)).isEqualTo(Result.DATA);
        assertThat(decoder.data().array()).isSameAs(bytes);
        assertThat(decoder.data().arrayOffset()).isEqualTo(3);
        assertThat(decoder.data().remaining()).isEqualTo(4);
        assertThat(decoder.decode(in)).isEqualTo(Result.END);
        assertThat(decoder.data()).isNull();
        assertThat(decoder.trailers().size() == 0).isTrue();
        assertThat(decoder.decode(in)).isEqualTo(Result.END);
    }

    @Test
    void rejectsMalformedBodies() {
        assertThat(decodeEveryWay("x\r\n")).isEqualTo("ERROR 400 invalid chunk size");
        assertThat(decodeEveryWay("\r\n")).isEqualTo("ERROR 400 invalid chunk size");
        assertThat(decodeEveryWay("-1\r\n")).isEqualTo("ERROR 400 invalid chunk size");
        assertThat(decodeEveryWay("5 6\r\nhello\r\n")).isEqualTo("ERROR 400 invalid chunk size");
        assertThat(decodeEveryWay("5 \r\nhello\r\n")).isEqualTo("ERROR 400 invalid chunk size");
        assertThat(decodeEveryWay("1" + "0".repeat(16) + "\r\n")).isEqualTo("ERROR 400 chunk size overflow");
        assertThat(decodeEveryWay("8" + "0".repeat(15) + "\r\n")).isEqualTo("ERROR 400 chunk size overflow");
        assertThat(decodeEveryWay("5\nhello\r\n")).isEqualTo("ERROR 400 invalid chunk size");
        assertThat(decodeEveryWay("5\rhello\r\n")).isEqualTo("ERROR 400 bare CR");
        assertThat(decodeEveryWay("5\r\nhelloX\r\n")).isEqualTo("ERROR 400 missing CRLF after chunk data");
        assertThat(decodeEveryWay("5\r\nhello\rX")).isEqualTo("ERROR 400 missing CRLF after chunk data");
        assertThat(decodeEveryWay("5;a\u0001b\r\n")).isEqualTo("ERROR 400 invalid chunk extension");
        assertThat(decodeEveryWay("5;a=\"b\nc\"\r\n")).isEqualTo("ERROR 400 invalid chunk extension");
        assertThat(decodeEveryWay("5;a=\"\\\u0000\"\r\n")).isEqualTo("ERROR 400 invalid chunk extension");
        assertThat(decodeEveryWay("0\r\n\n")).isEqualTo("ERROR 400 bare LF");
        assertThat(decodeEveryWay("0\r\n\rX")).isEqualTo("ERROR 400 bare CR");
    }

    @Test
    void rejectsMalformedTrailersWithHeaderStrictness() {
        assertThat(decodeEveryWay("0\r\nA: 1\r\n folded\r\n\r\n")).isEqualTo("ERROR 400 obsolete line folding");
        assertThat(decodeEveryWay("0\r\nA : 1\r\n\r\n")).isEqualTo("ERROR 400 whitespace before colon");
        assertThat(decodeEveryWay("0\r\nA: 1\n\r\n")).isEqualTo("ERROR 400 bare LF");
        assertThat(decodeEveryWay("0\r\nA: \u0000\r\n\r\n")).isEqualTo("ERROR 400 invalid header value");
    }

    @Test
    void enforcesChunkLineAndTrailerLimits() {
        assertThat(decodeEveryWay("1;abcdefghijkl\r\nx\r\n0\r\n\r\n", SMALL)).startsWith("END@");
        assertThat(decodeEveryWay("1;abcdefghijklm\r\nx\r\n0\r\n\r\n", SMALL))
                .isEqualTo("ERROR 400 chunk line exceeds max-chunk-line-bytes (16)");
        assertThat(decodeEveryWay("0" .repeat(17), SMALL))
                .isEqualTo("ERROR 400 chunk line exceeds max-chunk-line-bytes (16)");
        String trailers = "A: " + "a".repeat(33) + "\r\n\r\n";
        assertThat(trailers).hasSize(40);
        assertThat(decodeEveryWay("0\r\n" + trailers, SMALL)).startsWith("END@");
        assertThat(decodeEveryWay("0\r\nA: " + "a".repeat(34) + "\r\n\r\n", SMALL))
                .isEqualTo("ERROR 431 trailer section exceeds max-trailer-bytes (40)");
        assertThat(decodeEveryWay("0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", SMALL))
                .isEqualTo("ERROR 431 trailer section exceeds max-header-count (3)");
    }

    @Test
    void resetsForTheNextBody() {
        ChunkedDecoder decoder = new ChunkedDecoder(TestLimits.DEFAULTS);
        for (int i = 0; i < 3; i++) {
            decoder.reset();
            assertThatThrownBy(decoder::trailers).isInstanceOf(IllegalStateException.class);
            ByteBuffer in = ByteBuffer.wrap(("2\r\nhi\r\n0\r\nT: " + i + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(decoder.decode(in)).isEqualTo(Result.DATA);
            assertThat(decoder.decode(in)).isEqualTo(Result.END);
            assertThat(decoder.trailers().get("t")).isEqualTo(String.valueOf(i));
        }
        decoder.reset();
        assertThat(decoder.decode(ByteBuffer.wrap(new byte[] {'z'}))).isEqualTo(Result.ERROR);
        assertThat(decoder.errorStatus()).isEqualTo(400);
        decoder.reset();
        assertThat(decoder.errorStatus()).isZero();
        assertThat(decoder.errorReason()).isNull();
    }

    private static String decodeEveryWay(String body) {
        return decodeEveryWay(body, TestLimits.DEFAULTS);
    }

    private static String decodeEveryWay(String body, Http1Limits limits) {
        byte[] input = Feeds.bytes(body);
        ChunkedDecoder decoder = new ChunkedDecoder(limits);
        String expected = decode(input, new int[0], Feeds.Kind.HEAP, decoder);
        List<int[]> cuttings = Feeds.cuttings(input.length);
        for (int[] cuts : cuttings) {
            for (Feeds.Kind kind : Feeds.Kind.values()) {
                decoder.reset();
                assertThat(decode(input, cuts, kind, decoder))
                        .as("cut at %s, %s buffers", Arrays.toString(cuts), kind).isEqualTo(expected);
            }
        }
        return expected;
    }

    static String decode(byte[] input, int[] cuts, Feeds.Kind kind, ChunkedDecoder decoder) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int from = 0;
        for (int piece = 0; piece <= cuts.length; piece++) {
            int to = piece < cuts.length ? cuts[piece] : input.length;
            ByteBuffer in = Feeds.wrap(input, from, to, kind);
            int start = in.position();
            for (Result result = decoder.decode(in); result != Result.NEED_MORE; result = decoder.decode(in)) {
                switch (result) {
                    case DATA -> {
                        ByteBuffer view = decoder.data();
                        byte[] copy = new byte[view.remaining()];
                        view.get(copy);
                        data.writeBytes(copy);
                    }
                    case END -> {
                        return "END@" + (from + in.position() - start) + " data=" + data.toString(StandardCharsets.ISO_8859_1)
                                + " trailers=" + describe(TestLimits.headers(decoder.trailers()));
                    }
                    default -> {
                        return "ERROR " + decoder.errorStatus() + " " + decoder.errorReason();
                    }
                }
            }
            if (in.hasRemaining()) {
                return "BUG: NEED_MORE left " + in.remaining() + " bytes";
            }
            from = to;
        }
        return "NEED_MORE data=" + data.toString(StandardCharsets.ISO_8859_1);
    }

    private static String describe(HttpHeaders trailers) {
        StringBuilder s = new StringBuilder("[");
        trailers.forEach((name, value) -> s.append(s.length() > 1 ? ", " : "").append(name).append(": ").append(value));
        return s.append(']').toString();
    }
}
