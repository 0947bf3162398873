package io.eventide.http.internal.codec;

import static io.eventide.http.internal.codec.ParseHarness.parseEveryWay;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.http.internal.codec.Http1RequestParser.Result;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class Http1LimitsTest {
    private static final Http1Limits SMALL = new Http1Limits(32, 128, 3, 16, 64);

    @Test
    void requestLineAtItsLimitPassesAndOneByteMoreIs414() {
        String atLimit = "GET /" + "a".repeat(32 - 14) + " HTTP/1.1";
        assertThat(atLimit).hasSize(32);
        assertThat(parseEveryWay(atLimit + "\r\nHost: h\r\n\r\n", SMALL)).startsWith("HEAD@");
        String over = "GET /" + "a".repeat(32 - 13) + " HTTP/1.1";
        assertThat(parseEveryWay(over + "\r\nHost: h\r\n\r\n", SMALL))
                .isEqualTo("ERROR 414 request line exceeds max-request-line-bytes (32)");
    }

    @Test
    void overlongRequestLineIs414BeforeItsEndArrives() {
        String reason = "ERROR 414 request line exceeds max-request-line-bytes (32)";
        assertThat(parseEveryWay("GET /" + "a".repeat(40), SMALL)).isEqualTo(reason);
        assertThat(parseEveryWay("A".repeat(40), SMALL)).isEqualTo(reason);
        assertThat(parseEveryWay("GET /" + "a".repeat(20) + " HTTP/1.1", SMALL)).isEqualTo(reason);
        assertThat(parseEveryWay("GET /" + "a".repeat(26), SMALL)).isEqualTo("NEED_MORE");
    }

    @Test
    void headAtItsByteLimitPassesAndOneByteMoreIs431() {
        String start = "GET / HTTP/1.1\r\nHost: h\r\nX: ";
        String atLimit = start + "v".repeat(128 - start.length() - 4) + "\r\n\r\n";
        assertThat(atLimit).hasSize(128);
        assertThat(parseEveryWay(atLimit, SMALL)).startsWith("HEAD@128 ");
        String over = start + "v".repeat(128 - start.length() - 3) + "\r\n\r\n";
        assertThat(parseEveryWay(over, SMALL))
                .isEqualTo("ERROR 431 request head exceeds max-header-bytes (128)");
        assertThat(parseEveryWay(over.substring(0, 128), SMALL)).isEqualTo("NEED_MORE");
    }

    @Test
    void headerCountOverLimitIs431() {
        assertThat(parseEveryWay("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n", SMALL)).startsWith("HEAD@");
        assertThat(parseEveryWay("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", SMALL))
                .isEqualTo("ERROR 431 request head exceeds max-header-count (3)");
    }

    @Test
    void defaultLimitsHoldForWholeAndByteAtATimeInput() {
        String big = "GET / HTTP/1.1\r\nHost: h\r\n" + "X-Filler: " + "f".repeat(16_400) + "\r\n\r\n";
        assertThat(feed(big, big.length())).isEqualTo("ERROR 431 request head exceeds max-header-bytes (16384)");
        assertThat(feed(big, 1)).isEqualTo("ERROR 431 request head exceeds max-header-bytes (16384)");
        String longLine = "GET /" + "u".repeat(9000) + " HTTP/1.1\r\nHost: h\r\n\r\n";
        assertThat(feed(longLine, 1)).isEqualTo("ERROR 414 request line exceeds max-request-line-bytes (8192)");
        String fine = "GET /" + "u".repeat(8000) + " HTTP/1.1\r\nHost: h\r\nX: " + "x".repeat(8000) + "\r\n\r\n";
        assertThat(feed(fine, 1)).isEqualTo("HEAD_COMPLETE");
        assertThat(feed(fine, 1000)).isEqualTo("HEAD_COMPLETE");
        StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: h\r\n");
        for (int i = 0; i < 100; i++) {
            many.append("H").append(i).append(": v\r\n");
        }
        assertThat(feed(many + "\r\n", 7)).isEqualTo("ERROR 431 request head exceeds max-header-count (100)");
    }

    @Test
    void rejectsNonPositiveLimitsNamingTheKnob() {
        assertThatThrownBy(() -> new Http1Limits(0, 1, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-start-line-bytes");
        assertThat(TestLimits.DEFAULTS.maxHeaderBytes()).isEqualTo(io.eventide.http.HttpLimits.DEFAULT_MAX_HEADER_BYTES);
    }

    private static String feed(String request, int pieceSize) {
        byte[] bytes = Feeds.bytes(request);
        Http1RequestParser parser = new Http1RequestParser(TestLimits.DEFAULTS);
        for (int from = 0; from < bytes.length; from += pieceSize) {
            ByteBuffer in = ByteBuffer.allocateDirect(Math.min(pieceSize, bytes.length - from));
            in.put(bytes, from, in.capacity()).flip();
            Result result = parser.parse(in);
            if (result == Result.ERROR) {
                return "ERROR " + parser.errorStatus() + " " + parser.errorReason();
            }
            if (result == Result.HEAD_COMPLETE) {
                return result.name();
            }
        }
        return "NEED_MORE";
    }
}
