package io.eventide.http.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.http.internal.client.ResponseDecoder.Event;
import io.eventide.http.internal.codec.Http1Limits;
import io.eventide.http.internal.codec.TestLimits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Response framing (RFC 9112 §6.3) without sockets: one decoder, fed bytes, reporting events. */
class ResponseDecoderTest {

    /** Feeds {@code response} whole and describes the events, the body and what was left over. */
    private static String decode(String response, boolean headRequest, boolean endOfInput) {
        ResponseDecoder d = new ResponseDecoder(TestLimits.DEFAULTS);
        d.reset(headRequest);
        ByteBuffer in = ByteBuffer.wrap(response.getBytes(StandardCharsets.ISO_8859_1));
        StringBuilder out = new StringBuilder();
        while (!d.isDone()) {
            Event e = d.decode(in);
            switch (e) {
                case HEAD -> out.append("HEAD ").append(d.head().status()).append(' ');
                case DATA -> out.append('[').append(StandardCharsets.ISO_8859_1.decode(d.data())).append(']');
                case ERROR -> {
                    return out + "ERROR " + d.error();
                }
                case NEED_MORE -> {
                    if (endOfInput && d.endOfInput()) {
                        continue;
                    }
                    return out + "cut " + d.truncation();
                }
                default -> {
                    // END: isDone() now holds
                }
            }
        }
        return out + "done trailers=" + d.trailers().size() + " left=" + in.remaining()
                + (d.closeDelimited() ? " close-delimited" : "");
    }

    @Test
    void framesByLengthAndLeavesWhatFollows() {
        assertThat(decode("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA", false, false))
                .isEqualTo("HEAD 200 [hello]done trailers=0 left=5");
        assertThat(decode("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false, false))
                .isEqualTo("HEAD 200 done trailers=0 left=0");
    }

    @Test
    void readsNoBodyAfterHead204And304() {
        assertThat(decode("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", true, false))
                .isEqualTo("HEAD 200 done trailers=0 left=0");
        assertThat(decode("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", false, false))
                .isEqualTo("HEAD 204 done trailers=0 left=0");
        assertThat(decode("HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n", false, false))
                .isEqualTo("HEAD 304 done trailers=0 left=0");
    }

    @Test
    void decodesChunkedBodiesWithTrailers() {
        assertThat(decode("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\nX-T: 1\r\n\r\n",
                false, false)).isEqualTo("HEAD 200 [abc][de]done trailers=1 left=0");
        assertThat(decode("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX", false, false))
                .isEqualTo("HEAD 200 [abc]ERROR malformed chunked body: missing CRLF after chunk data");
    }

    @Test
    void readsUntilCloseWhenNothingElseFramesTheBody() {
        assertThat(decode("HTTP/1.1 200 OK\r\n\r\nall of it", false, true))
                .isEqualTo("HEAD 200 [all of it]done trailers=0 left=0 close-delimited");
    }

    @Test
    void skipsInterimResponsesButRefusesAnUpgrade() {
        assertThat(decode("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx", false, false))
                .isEqualTo("HEAD 200 [x]done trailers=0 left=0");
        assertThat(decode("HTTP/1.1 101 Switching Protocols\r\n\r\n", false, false))
                .isEqualTo("ERROR unexpected 101 Switching Protocols (the client never asks to upgrade)");
    }

    @Test
    void describesWhereAResponseWasCutShort() {
        assertThat(decode("", false, true)).isEqualTo("cut before a response");
        assertThat(decode("HTTP/1.1 200 O", false, true)).isEqualTo("cut in the middle of the response head");
        assertThat(decode("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc", false, true))
                .isEqualTo("HEAD 200 [abc]cut after 3 of 9 body bytes");
        assertThat(decode("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", false, true))
                .isEqualTo("HEAD 200 [ab]cut in the middle of the chunked body, after 2 bytes");
    }
}
