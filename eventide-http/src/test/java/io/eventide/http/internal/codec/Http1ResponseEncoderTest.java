package io.eventide.http.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.http.HttpHeaders;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

class Http1ResponseEncoderTest {
    @Test
    void writesPreEncodedStatusLines() {
        int[] common = {200, 201, 204, 206, 301, 302, 304, 400, 401, 403, 404, 405, 408, 413, 414, 415,
            416, 417, 426, 429, 431, 500, 501, 503, 505};
        for (int status : common) {
            String reason = Http1ResponseEncoder.reasonPhrase(status);
            assertThat(reason).isNotEmpty();
            assertThat(encode(out -> Http1ResponseEncoder.writeStatusLine(out, status)))
                    .isEqualTo("HTTP/1.1 " + status + " " + reason + "\r\n");
        }
        assertThat(encode(out -> Http1ResponseEncoder.writeStatusLine(out, 200))).isEqualTo("HTTP/1.1 200 OK\r\n");
        assertThat(encode(out -> Http1ResponseEncoder.writeStatusLine(out, 431)))
                .isEqualTo("HTTP/1.1 431 Request Header Fields Too Large\r\n");
    }

    @Test
    void writesUnregisteredStatusWithEmptyReason() {
        assertThat(Http1ResponseEncoder.reasonPhrase(299)).isEmpty();
        assertThat(encode(out -> Http1ResponseEncoder.writeStatusLine(out, 299))).isEqualTo("HTTP/1.1 299 \r\n");
        assertThat(encode(out -> Http1ResponseEncoder.writeStatusLine(out, 999))).isEqualTo("HTTP/1.1 999 \r\n");
        assertThatThrownBy(() -> Http1ResponseEncoder.writeStatusLine(ByteBuffer.allocate(64), 99))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Http1ResponseEncoder.writeStatusLine(ByteBuffer.allocate(64), 1000))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesAWholeHeadByteExact() {
        HttpHeaders headers = new HttpHeaders().add("Content-Type", "text/plain; charset=utf-8")
                .add("Set-Cookie", "a=1").add("Set-Cookie", "b=\t2");
        String head = encode(out -> {
            Http1ResponseEncoder.writeStatusLine(out, 200);
            Http1ResponseEncoder.writeContentLength(out, 1234567890123L);
            headers.forEach((n, v) -> Http1ResponseEncoder.writeHeader(out, n, v));
            Http1ResponseEncoder.writeHeader(out, "X-Name", "caf\u00e9");
            Http1ResponseEncoder.writeEndOfHead(out);
        });
        assertThat(head).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 1234567890123\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nSet-Cookie: a=1\r\nSet-Cookie: b=\t2\r\n"
                + "X-Name: caf\u00e9\r\n\r\n");
    }

    @Test
    void writesContentLengthZero() {
        assertThat(encode(out -> Http1ResponseEncoder.writeContentLength(out, 0))).isEqualTo("Content-Length: 0\r\n");
    }

    @Test
    void refusesHeaderInjection() {
        ByteBuffer out = ByteBuffer.allocate(256);
        for (String value : new String[] {"a\r\nSet-Cookie: x", "a\nb", "a\rb", "a\u0000", "a\u007f", "\u0100"}) {
            assertThatThrownBy(() -> Http1ResponseEncoder.writeHeader(out, "X", value))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("invalid header value");
        }
        for (String name : new String[] {"", "A B", "A:", "A\r\n", "\u00e9"}) {
            assertThatThrownBy(() -> Http1ResponseEncoder.writeHeader(out, name, "v"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void writesChunkFraming() {
        assertThat(encode(out -> Http1ResponseEncoder.writeChunkHeader(out, 1))).isEqualTo("1\r\n");
        assertThat(encode(out -> Http1ResponseEncoder.writeChunkHeader(out, 255))).isEqualTo("ff\r\n");
        assertThat(encode(out -> Http1ResponseEncoder.writeChunkHeader(out, 4096))).isEqualTo("1000\r\n");
        assertThat(encode(out -> Http1ResponseEncoder.writeChunkHeader(out, Long.MAX_VALUE)))
                .isEqualTo("7fffffffffffffff\r\n");
        assertThat(encode(Http1ResponseEncoder::writeChunkEnd)).isEqualTo("\r\n");
        assertThat(encode(out -> {
            Http1ResponseEncoder.writeLastChunk(out);
            Http1ResponseEncoder.writeEndOfHead(out);
        })).isEqualTo("0\r\n\r\n");
        assertThat(encode(out -> {
            Http1ResponseEncoder.writeLastChunk(out);
            Http1ResponseEncoder.writeHeader(out, "Checksum", "abc");
            Http1ResponseEncoder.writeEndOfHead(out);
        })).isEqualTo("0\r\nChecksum: abc\r\n\r\n");
        assertThatThrownBy(() -> Http1ResponseEncoder.writeChunkHeader(ByteBuffer.allocate(8), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void chunkFramingRoundTripsThroughTheDecoder() {
        ByteBuffer out = ByteBuffer.allocate(256);
        Http1ResponseEncoder.writeChunkHeader(out, 11);
        out.put("hello world".getBytes(StandardCharsets.US_ASCII));
        Http1ResponseEncoder.writeChunkEnd(out);
        Http1ResponseEncoder.writeLastChunk(out);
        Http1ResponseEncoder.writeHeader(out, "T", "1");
        Http1ResponseEncoder.writeEndOfHead(out);
        out.flip();
        ChunkedDecoder decoder = new ChunkedDecoder(TestLimits.DEFAULTS);
        assertThat(decoder.decode(out)).isEqualTo(ChunkedDecoder.Result.DATA);
        assertThat(StandardCharsets.US_ASCII.decode(decoder.data()).toString()).isEqualTo("hello world");
        assertThat(decoder.decode(out)).isEqualTo(ChunkedDecoder.Result.END);
        assertThat(decoder.trailers().get("t")).isEqualTo("1");
        assertThat(out.hasRemaining()).isFalse();
    }

    @Test
    void throwsOnOverflowWithoutMovingPastTheBuffer() {
        ByteBuffer small = ByteBuffer.allocate(4);
        assertThatThrownBy(() -> Http1ResponseEncoder.writeHeader(small, "Name", "value"))
                .isInstanceOf(BufferOverflowException.class);
        assertThatThrownBy(() -> Http1ResponseEncoder.writeContentLength(ByteBuffer.allocate(17), 10))
                .isInstanceOf(BufferOverflowException.class);
        assertThat(Http1ResponseEncoder.headerLength("Name", "value")).isEqualTo("Name: value\r\n".length());
    }

    /** Encodes into a heap and a direct buffer; both must agree. */
    private static String encode(Consumer<ByteBuffer> writer) {
        ByteBuffer heap = ByteBuffer.allocate(512).position(7).slice();
        ByteBuffer direct = ByteBuffer.allocateDirect(512);
        writer.accept(heap);
        writer.accept(direct);
        String fromHeap = StandardCharsets.ISO_8859_1.decode(heap.flip()).toString();
        assertThat(StandardCharsets.ISO_8859_1.decode(direct.flip()).toString()).isEqualTo(fromHeap);
        return fromHeap;
    }
}
