package io.eventide.core.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.core.dns.internal.DnsCodec;
import io.eventide.core.dns.internal.Hosts;
import io.eventide.core.dns.internal.ResolvConf;
import io.eventide.core.dns.internal.SearchRun;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The wire codec and the two config files, without sockets. */
class DnsCodecTest {

    /** A response to "a.test A" with one A record 10.0.0.1, TTL 300, name compressed. */
    private static byte[] answer(int id) {
        ByteBuffer b = ByteBuffer.allocate(512);
        b.putShort((short) id).putShort((short) 0x8180).putShort((short) 1).putShort((short) 1)
                .putShort((short) 0).putShort((short) 0);
        b.put(new byte[] {1, 'a', 4, 't', 'e', 's', 't', 0}).putShort((short) 1).putShort((short) 1);
        b.putShort((short) 0xC00C).putShort((short) 1).putShort((short) 1).putInt(300).putShort((short) 4)
                .put(new byte[] {10, 0, 0, 1});
        return Arrays.copyOf(b.array(), b.position());
    }

    @Test
    void queriesAreEncodedPerRfc1035() {
        byte[] q = DnsCodec.encodeQuery(0x1234, "www.Example.test.", DnsCodec.TYPE_AAAA);
        assertThat(Arrays.copyOf(q, 12)).containsExactly(0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0);
        assertThat(Arrays.copyOfRange(q, 12, q.length)).containsExactly(3, 'w', 'w', 'w', 7, 'E', 'x', 'a', 'm', 'p',
                'l', 'e', 4, 't', 'e', 's', 't', 0, 0, 28, 0, 1);
        assertThatThrownBy(() -> DnsCodec.encodeQuery(1, "a..b", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DnsCodec.encodeQuery(1, "x".repeat(64), 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DnsCodec.encodeQuery(1, "sp ace", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAnswerIsDecodedWithCompressedNames() throws Exception {
        DnsCodec.Answer a = DnsCodec.decode(answer(7), "A.TEST", DnsCodec.TYPE_A);
        assertThat(a.id()).isEqualTo(7);
        assertThat(a.rcode()).isZero();
        assertThat(a.addresses()).containsExactly(InetAddress.getByName("10.0.0.1"));
        assertThat(a.ttlSeconds()).isEqualTo(300);
    }

    @Test
    void everyTruncationAndRandomCorruptionIsMalformedNeverAnotherException() {
        byte[] ok = answer(9);
        for (int len = 0; len < ok.length; len++) {
            byte[] cut = Arrays.copyOf(ok, len);
            try {
                DnsCodec.Answer a = DnsCodec.decode(cut, "a.test", DnsCodec.TYPE_A);
                assertThat(a).as("a cut at %d bytes cannot decode to the full answer", len).isNull();
            } catch (DnsCodec.Malformed expected) {
                // the only acceptable failure
            }
        }
        Random rnd = new Random(1);
        for (int i = 0; i < 20_000; i++) {
            byte[] m = ok.clone();
            m[12 + rnd.nextInt(m.length - 12)] = (byte) rnd.nextInt(256);
            try {
                DnsCodec.decode(m, "a.test", DnsCodec.TYPE_A);
            } catch (DnsCodec.Malformed expected) {
                // fine
            }
        }
    }

    @Test
    void aCompressionPointerLoopIsRejected() {
        byte[] m = answer(3);
        m[12 + 8 + 4] = (byte) 0xC0; // the answer's owner pointer now points at itself
        m[12 + 8 + 5] = (byte) (12 + 8 + 4);
        assertThatThrownBy(() -> DnsCodec.decode(m, "a.test", DnsCodec.TYPE_A)).isInstanceOf(DnsCodec.Malformed.class)
                .hasMessageContaining("loop");
    }

    @Test
    void anAnswerToAnotherQuestionIsRejected() {
        assertThatThrownBy(() -> DnsCodec.decode(answer(1), "b.test", DnsCodec.TYPE_A))
                .isInstanceOf(DnsCodec.Malformed.class);
        assertThatThrownBy(() -> DnsCodec.decode(answer(1), "a.test", DnsCodec.TYPE_AAAA))
                .isInstanceOf(DnsCodec.Malformed.class);
    }

    @Test
    void resolvConfIsReadLikeGlibc() {
        ResolvConf c = ResolvConf.parse("""
                # comment
                nameserver 10.0.0.53
                nameserver fd00::53
                nameserver 10.0.0.54
                nameserver 10.0.0.55
                domain ignored.test
                search a.test B.test
                options ndots:3 timeout:2 attempts:9 rotate edns0
                """);
        assertThat(c.nameservers()).hasSize(3);
        assertThat(c.nameservers().get(1).getAddress().getHostAddress()).isEqualTo("fd00:0:0:0:0:0:0:53");
        assertThat(c.search()).containsExactly("a.test", "b.test");
        assertThat(c.ndots()).isEqualTo(3);
        assertThat(c.timeoutSeconds()).isEqualTo(2);
        assertThat(c.attempts()).as("capped at 5").isEqualTo(5);
        assertThat(c.rotate()).isTrue();
        ResolvConf empty = ResolvConf.parse("");
        assertThat(empty.nameservers().get(0).getAddress().isLoopbackAddress()).isTrue();
        assertThat(empty.ndots()).isEqualTo(1);
        assertThat(empty.timeoutSeconds()).isEqualTo(5);
        assertThat(empty.attempts()).isEqualTo(2);
    }

    @Test
    void hostsAreParsedWithoutLookups() {
        Hosts h = Hosts.parse("127.0.0.1 localhost\n10.0.0.1 one.test One # the first\n::1 localhost ip6-localhost\n"
                + "not-an-ip host.test\n10.0.0.2 one.test\n");
        assertThat(h.lookup("ONE.test", true, true)).hasSize(2);
        assertThat(h.lookup("localhost", false, true)).hasSize(1);
        assertThat(h.contains("host.test")).isFalse();
        assertThat(Hosts.parseAddress("256.1.1.1")).isNull();
        assertThat(Hosts.parseAddress("example.test")).isNull();
        assertThat(Hosts.parseAddress("[fd00::1]")).isNotNull();
    }

    @Test
    void candidatesFollowNdotsAndTheSearchList() {
        List<String> search = List.of("s1.test", "s2.test");
        assertThat(SearchRun.candidates("api", 1, search)).containsExactly("api.s1.test", "api.s2.test", "api");
        assertThat(SearchRun.candidates("a.b", 1, search)).containsExactly("a.b", "a.b.s1.test", "a.b.s2.test");
        assertThat(SearchRun.candidates("a.b", 2, search)).containsExactly("a.b.s1.test", "a.b.s2.test", "a.b");
        assertThat(SearchRun.candidates("abs.test.", 5, search)).containsExactly("abs.test");
    }
}
