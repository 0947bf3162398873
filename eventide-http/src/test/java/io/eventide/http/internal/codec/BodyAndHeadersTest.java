package io.eventide.http.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.http.HttpHeaders;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link ContentLengthDecoder} and the {@link HttpHeaders} multi-map the codec fills. */
class BodyAndHeadersTest {
    @Test
    void contentLengthDecoderTakesExactlyTheBody() {
        ContentLengthDecoder decoder = new ContentLengthDecoder();
        decoder.reset(5);
        ByteBuffer first = ByteBuffer.wrap("hel".getBytes(StandardCharsets.US_ASCII));
        assertThat(StandardCharsets.US_ASCII.decode(decoder.decode(first)).toString()).isEqualTo("hel");
        assertThat(decoder.decode(first)).isNull();
        assertThat(decoder.remaining()).isEqualTo(2);
        ByteBuffer second = ByteBuffer.wrap("loGET".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer body = decoder.decode(second);
        assertThat(body.array()).isSameAs(second.array());
        assertThat(StandardCharsets.US_ASCII.decode(body).toString()).isEqualTo("lo");
        assertThat(decoder.isDone()).isTrue();
        assertThat(second.position()).isEqualTo(2);
        assertThat(decoder.decode(second)).isNull();
        assertThatThrownBy(() -> decoder.reset(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void headersAreACaseInsensitiveOrderedMultiMap() {
        HttpHeaders headers = new HttpHeaders(1).add("Accept", "a").add("X-One", "1").add("accept", "b");
        assertThat(headers.size()).isEqualTo(3);
        assertThat(headers.get("ACCEPT")).isEqualTo("a");
        assertThat(headers.getAll("Accept")).containsExactly("a", "b");
        assertThat(headers.getAll("missing")).isEmpty();
        assertThat(headers.get("missing")).isNull();
        assertThat(headers.contains("x-one")).isTrue();
        headers.set("ACCEPT", "c");
        assertThat(names(headers)).containsExactly("Accept=c", "X-One=1");
        headers.set("New", "n");
        assertThat(names(headers)).containsExactly("Accept=c", "X-One=1", "New=n");
        assertThat(headers.remove("x-one")).isTrue();
        assertThat(headers.remove("x-one")).isFalse();
        assertThat(names(headers)).containsExactly("Accept=c", "New=n");
        assertThat(headers.name(1)).isEqualTo("New");
        assertThat(headers.value(1)).isEqualTo("n");
        assertThatThrownBy(() -> headers.name(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(headers).hasToString("HttpHeaders[Accept, New]");
        headers.clear();
        assertThat(headers.isEmpty()).isTrue();
        assertThatThrownBy(() -> headers.add(null, "v")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> headers.add("n", null)).isInstanceOf(NullPointerException.class);
    }

    private static List<String> names(HttpHeaders headers) {
        List<String> all = new ArrayList<>();
        headers.forEach((name, value) -> all.add(name + "=" + value));
        return all;
    }
}
