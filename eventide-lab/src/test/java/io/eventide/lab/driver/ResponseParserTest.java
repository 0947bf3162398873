package io.eventide.lab.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseParserTest {
    private static final String THREE = "HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Type: text/plain\r\n\r\n"
            + "Hello, World!"
            + "HTTP/1.1 503 Service Unavailable\r\ntransfer-encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n3;ext=1\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n"
            + "HTTP/1.1 100 Continue\r\n\r\n"
            + "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";

    private static List<String> feed(ResponseParser p, byte[] bytes, int... cuts) throws ProtocolException {
        List<String> got = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            p.feed(ByteBuffer.wrap(bytes, from, cut - from), (s, c) -> got.add(s + (c ? " close" : "")));
            from = cut;
        }
        p.feed(ByteBuffer.wrap(bytes, from, bytes.length - from), (s, c) -> got.add(s + (c ? " close" : "")));
        return got;
    }

    @Test
    void pipelinedResponsesWholeSplitAtEveryOffsetAndByteByByteGiveTheSameAnswers() throws Exception {
        byte[] bytes = THREE.getBytes(StandardCharsets.US_ASCII);
        List<String> whole = feed(new ResponseParser(), bytes);
        assertThat(whole).containsExactly("200", "503", "204 close");
        for (int cut = 0; cut <= bytes.length; cut++) {
            assertThat(feed(new ResponseParser(), bytes, cut)).as("split at %d", cut).isEqualTo(whole);
        }
        int[] every = new int[bytes.length - 1];
        for (int i = 0; i < every.length; i++) {
            every[i] = i + 1;
        }
        assertThat(feed(new ResponseParser(), bytes, every)).isEqualTo(whole);
    }

    @Test
    void aBodyWithoutLengthEndsWithTheConnection() throws Exception {
        ResponseParser p = new ResponseParser();
        List<Integer> got = new ArrayList<>();
        p.feed(ByteBuffer.wrap("HTTP/1.0 200 OK\r\n\r\nsome body".getBytes(StandardCharsets.US_ASCII)),
                (s, c) -> got.add(s));
        assertThat(got).isEmpty();
        assertThat(p.onEof((s, c) -> got.add(s))).isTrue();
        assertThat(got).containsExactly(200);
        assertThat(p.isIdle()).isTrue();
    }

    @Test
    void aResponseCutShortIsReportedAtEndOfStream() throws Exception {
        ResponseParser p = new ResponseParser();
        p.feed(ByteBuffer.wrap("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".getBytes(StandardCharsets.US_ASCII)),
                (s, c) -> { });
        assertThat(p.onEof((s, c) -> { })).isFalse();
    }

    @Test
    void http10KeepsAliveOnlyWhenAsked() throws Exception {
        List<String> got = new ArrayList<>();
        new ResponseParser().feed(ByteBuffer.wrap(("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"
                + "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII)), (s, c) -> got.add(s + " " + c));
        assertThat(got).containsExactly("200 true", "200 false");
    }

    @Test
    void garbageIsAProtocolError() {
        assertThatThrownBy(() -> new ResponseParser().feed(ByteBuffer.wrap(
                "SSH-2.0-OpenSSH\r\n".getBytes(StandardCharsets.US_ASCII)), (s, c) -> { }))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> new ResponseParser().feed(ByteBuffer.wrap(
                "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), (s, c) -> { }))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("Content-Length");
        assertThatThrownBy(() -> new ResponseParser().feed(ByteBuffer.wrap(
                ("HTTP/1.1 200 OK\r\nX: " + "a".repeat(ResponseParser.MAX_LINE) + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII)), (s, c) -> { }))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("longer than");
    }
}
