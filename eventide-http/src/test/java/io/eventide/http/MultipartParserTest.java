package io.eventide.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.http.internal.multipart.Boundary;
import io.eventide.http.internal.multipart.MultipartParser;
import io.eventide.http.internal.multipart.PartHead;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The multipart parser fed whole, byte by byte and split at every offset, with identical results. */
class MultipartParserTest {
    static final String B = "----eventide7MA4YWxkTrZu0gW";

    /** One parsed part: its head and all its bytes. */
    record Part(PartHead head, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** Records parts, copying the views the parser hands out. */
    static final class Recorder implements MultipartParser.Listener {
        final List<Part> parts = new ArrayList<>();
        PartHead head;
        ByteArrayOutputStream data;

        @Override
        public void partBegin(PartHead h) {
            assertThat(head).as("partBegin inside a part").isNull();
            head = h;
            data = new ByteArrayOutputStream();
        }

        @Override
        public void partData(ByteBuffer b) {
            assertThat(head).as("data outside a part").isNotNull();
            byte[] copy = new byte[b.remaining()];
            b.get(copy);
            data.writeBytes(copy);
        }

        @Override
        public void partEnd() {
            parts.add(new Part(head, data.toByteArray()));
            head = null;
        }
    }

    static List<Part> parse(String boundary, byte[] body, int... cuts) {
        Recorder r = new Recorder();
        MultipartParser p = new MultipartParser(boundary, 8192, 100, r);
        int from = 0;
        for (int cut : cuts) {
            feed(p, body, from, cut);
            from = cut;
        }
        feed(p, body, from, body.length);
        p.finish();
        return r.parts;
    }

    private static void feed(MultipartParser p, byte[] body, int from, int to) {
        // A direct copy, as the loop's read buffer is direct; and a slice, so offsets are not 0.
        ByteBuffer b = ByteBuffer.allocateDirect(to - from + 3).position(3);
        b.put(body, from, to - from).flip().position(3);
        p.feed(b.slice());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** File content full of near-delimiters: CRs, CRLF--, the boundary without its CRLF, a CR at the end. */
    static byte[] trickyContent(String boundary) {
        byte[] random = new byte[64];
        new Random(42).nextBytes(random);
        return concat(bytes("\r\n--"), random, bytes("\r\r\n--" + boundary.substring(0, boundary.length() - 1) + "X"),
                bytes("--" + boundary + "\n--" + boundary + "\r--" + boundary + "\r\n-" + boundary + "\r\n\r\n"),
                bytes("\r\n--" + boundary.substring(0, Math.min(5, boundary.length() - 1))), bytes("\r"));
    }

    static byte[] sampleBody(String boundary, byte[] content) {
        return concat(bytes("preamble, ignored\r\n--not-it\r\n--" + boundary + "\r\n"),
                bytes("Content-Disposition: form-data; name=\"title\"\r\n\r\nHello, w\u00f6rld\r\n"),
                bytes("--" + boundary + " \t\r\n"), // transport padding, RFC 2046 §5.1.1
                bytes("content-disposition: form-data; name=\"file\"; filename=\"C:\\\\dir\\\\r\u00e9sum\u00e9.bin\"\r\n"
                        + "Content-Type: application/octet-stream\r\nX-Ignored: yes\r\n\r\n"),
                content,
                bytes("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"empty\"\r\n\r\n"),
                bytes("\r\n--" + boundary + "--\r\nepilogue, ignored \r\n--" + boundary + "\r\n"));
    }

    static void assertSample(List<Part> parts, byte[] content) {
        assertThat(parts).hasSize(3);
        assertThat(parts.get(0).head()).isEqualTo(new PartHead("title", null, "text/plain"));
        assertThat(parts.get(0).text()).isEqualTo("Hello, w\u00f6rld");
        assertThat(parts.get(1).head()).isEqualTo(new PartHead("file", "r\u00e9sum\u00e9.bin", "application/octet-stream"));
        assertThat(parts.get(1).data()).isEqualTo(content);
        assertThat(parts.get(2).head().name()).isEqualTo("empty");
        assertThat(parts.get(2).data()).isEmpty();
    }

    @Test
    void wholeByteByByteAndEverySplitGiveTheSameParts() {
        byte[] content = trickyContent(B);
        byte[] body = sampleBody(B, content);
        assertSample(parse(B, body), content);
        int[] everyByte = new int[body.length - 1];
        Arrays.setAll(everyByte, i -> i + 1);
        assertSample(parse(B, body, everyByte), content);
        for (int cut = 0; cut <= body.length; cut++) {
            assertSample(parse(B, body, cut), content);
        }
    }

    @Test
    void everyPairOfSplitsWithAShortBoundary() {
        String b = "xY";
        byte[] content = trickyContent(b);
        byte[] body = sampleBody(b, content);
        for (int i = 0; i <= body.length; i++) {
            for (int j = i; j <= body.length; j += 3) {
                assertSample(parse(b, body, i, j), content);
            }
        }
    }

    @Test
    void firstBoundaryAtTheVeryStartAndNoParts() {
        assertThat(parse(B, bytes("--" + B + "\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--" + B + "--")))
                .extracting(Part::text).containsExactly("1");
        // A browser submitting an empty form sends only the close delimiter.
        assertThat(parse(B, bytes("--" + B + "--\r\n"))).isEmpty();
    }

    @Test
    void largeRandomFileSplitAtRandomPlaces() {
        byte[] content = new byte[1 << 20];
        Random rnd = new Random(7);
        rnd.nextBytes(content);
        byte[] body = sampleBody(B, content);
        int[] cuts = rnd.ints(200, 0, body.length).sorted().toArray();
        assertSample(parse(B, body, cuts), content);
    }

    @Test
    void fileNamesAndParameters() {
        List<Part> parts = parse(B, bytes("--" + B + "\r\n"
                + "Content-Disposition: form-data; name=\"q\\\"x\"; filename=\"a\\\"b.txt\";\r\n\r\nA\r\n--" + B + "\r\n"
                + "Content-Disposition: form-data;name=f;filename=\"/etc/passwd\"\r\nContent-Type: image/png\r\n\r\n\r\n--" + B + "\r\n"
                + "Content-Disposition: form-data; name=\"none\"; filename=\"\"\r\n\r\n\r\n--" + B + "--"));
        assertThat(parts).extracting(Part::head).containsExactly(
                new PartHead("q\"x", "a\"b.txt", "text/plain"),
                new PartHead("f", "passwd", "image/png"),
                new PartHead("none", null, "text/plain"));
    }

    @Test
    void malformedBodiesAre400() {
        String cd = "Content-Disposition: form-data; name=a\r\n";
        assertStatus(400, "--" + B + "\r\n" + cd + "\r\nno close delimiter");
        assertStatus(400, "--" + B + "x\r\n" + cd + "\r\n\r\n--" + B + "--");
        assertStatus(400, "--" + B + "\n" + cd + "\r\n\r\n--" + B + "--");
        assertStatus(400, "--" + B + "\r\nContent-Disposition form-data\r\n\r\n\r\n--" + B + "--");
        assertStatus(400, "--" + B + "\r\n" + cd + "X-A: b\nX-C: d\r\n\r\n\r\n--" + B + "--");
        assertStatus(400, "--" + B + "\r\n" + cd + " folded\r\n\r\n\r\n--" + B + "--");
        assertStatus(400, "--" + B + "\r\nContent-Type: text/plain\r\n\r\n\r\n--" + B + "--");
        assertStatus(400, "--" + B + "\r\nContent-Disposition: attachment; name=a\r\n\r\n\r\n--" + B + "--");
        assertStatus(400, "--" + B + "\r\nContent-Disposition: form-data; filename=a\r\n\r\n\r\n--" + B + "--");
        assertStatus(400, "--" + B + "\r\nContent-Disposition: form-data; name=\"a\r\n\r\n\r\n--" + B + "--");
        assertStatus(400, "--" + B + "-x");
        assertStatus(400, "");
    }

    @Test
    void limitsAre413() {
        String part = "--" + B + "\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n";
        Recorder r = new Recorder();
        MultipartParser few = new MultipartParser(B, 8192, 2, r);
        assertThatThrownBy(() -> few.feed(ByteBuffer.wrap(bytes(part + part + part + "--" + B + "--"))))
                .isInstanceOfSatisfying(HttpException.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.safeMessage()).contains("max-parts (2)");
                });
        MultipartParser small = new MultipartParser(B, 64, 100, new Recorder());
        String longHeader = "--" + B + "\r\nContent-Disposition: form-data; name=\"" + "n".repeat(80) + "\"\r\n\r\n";
        assertThatThrownBy(() -> small.feed(ByteBuffer.wrap(bytes(longHeader))))
                .isInstanceOfSatisfying(HttpException.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.safeMessage()).contains("max-part-header-bytes (64)");
                });
    }

    @Test
    void boundaryFromContentType() {
        assertThat(Boundary.parse("multipart/form-data; boundary=" + B)).isEqualTo(B);
        assertThat(Boundary.parse("Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a b'c\"")).isEqualTo("a b'c");
        assertThat(Boundary.parse("multipart/form-data;boundary=x;")).isEqualTo("x");
        assertBoundaryStatus(415, null);
        assertBoundaryStatus(415, "application/x-www-form-urlencoded");
        assertBoundaryStatus(415, "multipart/mixed; boundary=x");
        assertBoundaryStatus(400, "multipart/form-data");
        assertBoundaryStatus(400, "multipart/form-data; boundary=");
        assertBoundaryStatus(400, "multipart/form-data; boundary=\"a \"");
        assertBoundaryStatus(400, "multipart/form-data; boundary=a{b");
        assertBoundaryStatus(400, "multipart/form-data; boundary=" + "x".repeat(71));
        assertBoundaryStatus(400, "multipart/form-data; boundary=\"unterminated");
    }

    private static void assertStatus(int status, String body) {
        assertThatThrownBy(() -> parse(B, bytes(body)))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(status));
    }

    private static void assertBoundaryStatus(int status, String contentType) {
        assertThatThrownBy(() -> Boundary.parse(contentType))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(status));
    }
}
