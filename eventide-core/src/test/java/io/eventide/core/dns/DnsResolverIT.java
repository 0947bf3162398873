package io.eventide.core.dns;

import static io.eventide.core.dns.DnsTesting.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.dns.DnsException.Code;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resolver against a real DNS server started by the test on 127.0.0.1 ({@link TestDnsServer}):
 * answers, hosts file, CNAMEs, TTL and negative caching on a fake clock, search list and ndots,
 * timeouts with retries and failover, SERVFAIL, truncation to TCP, the JDK fallback, bad names.
 */
class DnsResolverIT {
    @TempDir
    Path dir;
    private TestDnsServer dns;
    private DnsTesting t;
    private Path hosts;

    @BeforeEach
    void start() throws Exception {
        dns = TestDnsServer.start();
        t = new DnsTesting("dns-it");
        hosts = Files.writeString(dir.resolve("hosts"), """
                # test hosts
                10.1.1.1   myhost.test  alias.test
                fd00::5    myhost.test
                """);
    }

    @AfterEach
    void stop() {
        t.close();
        dns.close();
    }

    private ResolverOptions.Builder opts(InetSocketAddress... servers) {
        return ResolverOptions.builder().resolvConf(null).hostsFile(hosts)
                .nameservers(List.of(servers.length == 0 ? new InetSocketAddress[] {dns.address()} : servers))
                .search(List.of()).ndots(1).timeout(Duration.ofMillis(300)).attempts(2).clock(t.now::get);
    }

    @Test
    void answersBothFamiliesIpv4FirstWithOneQueryEach() {
        dns.a("api.test", 300, "10.0.0.1", "10.0.0.2").aaaa("api.test", 300, "fd00::1");
        try (DnsResolver r = DnsResolver.create(opts().build())) {
            assertThat(text(t.addresses(r, "api.test"))).containsExactly("10.0.0.1", "10.0.0.2", "fd00:0:0:0:0:0:0:1");
            assertThat(text(t.addresses(r, "API.TEST"))).as("names are case-insensitive").hasSize(3);
            Object v6 = t.outcome(() -> r.resolve(t.loop, "api.test", StandardProtocolFamily.INET6));
            assertThat(text(castList(v6))).containsExactly("fd00:0:0:0:0:0:0:1");
            assertThat(dns.count("udp A api.test")).isEqualTo(1);
            assertThat(dns.count("udp AAAA api.test")).isEqualTo(1);
            assertThat(r.cacheHits()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void hostsFileLiteralsAndLocalhostNeverReachTheServer() {
        try (DnsResolver r = DnsResolver.create(opts().build())) {
            assertThat(text(t.addresses(r, "myhost.test"))).containsExactly("10.1.1.1", "fd00:0:0:0:0:0:0:5");
            assertThat(text(t.addresses(r, "ALIAS.test"))).as("listed with IPv4 only: no AAAA asked of DNS")
                    .containsExactly("10.1.1.1");
            assertThat(text(t.addresses(r, "10.2.3.4"))).containsExactly("10.2.3.4");
            assertThat(text(t.addresses(r, "::1"))).containsExactly("0:0:0:0:0:0:0:1");
            assertThat(text(t.addresses(r, "localhost"))).containsExactly("127.0.0.1", "0:0:0:0:0:0:0:1");
            assertThat(dns.log()).isEmpty();
        }
    }

    @Test
    void cnameChainsAreFollowed() {
        dns.cname("www.test", "web.test", 60).cname("web.test", "origin.test", 60).a("origin.test", 60, "10.0.0.9");
        try (DnsResolver r = DnsResolver.create(opts().build())) {
            Object v4 = t.outcome(() -> r.resolve(t.loop, "www.test", StandardProtocolFamily.INET));
            assertThat(text(castList(v4))).containsExactly("10.0.0.9");
        }
    }

    @Test
    void answersAreCachedForTheirTtlOnTheClock() {
        dns.a("ttl.test", 30, "10.0.0.3");
        try (DnsResolver r = DnsResolver.create(opts().build())) {
            t.addresses(r, "ttl.test");
            t.addresses(r, "ttl.test");
            assertThat(dns.count("udp A ttl.test")).as("second lookup from the cache").isEqualTo(1);
            t.advance(Duration.ofSeconds(29));
            t.addresses(r, "ttl.test");
            assertThat(dns.count("udp A ttl.test")).isEqualTo(1);
            t.advance(Duration.ofSeconds(2));
            t.addresses(r, "ttl.test");
            assertThat(dns.count("udp A ttl.test")).as("asked again once the TTL ran out").isEqualTo(2);
        }
    }

    @Test
    void nxdomainIsAClearErrorAndIsCachedForTheSoaNegativeTtl() {
        dns.negativeTtl(10);
        try (DnsResolver r = DnsResolver.create(opts().build())) {
            DnsException e = t.failure(r, "missing.test");
            assertThat(e.code()).isEqualTo(Code.NXDOMAIN);
            assertThat(e.host()).isEqualTo("missing.test");
            assertThat(e.getMessage()).startsWith("host not found: missing.test").contains("NXDOMAIN");
            assertThat(t.failure(r, "missing.test").code()).isEqualTo(Code.NXDOMAIN);
            assertThat(dns.count("udp A missing.test")).as("negative answer cached").isEqualTo(1);
            t.advance(Duration.ofSeconds(11));
            assertThat(t.failure(r, "missing.test").code()).isEqualTo(Code.NXDOMAIN);
            assertThat(dns.count("udp A missing.test")).isEqualTo(2);
        }
    }

    @Test
    void aNameWithoutTheAskedFamilyIsNodata() {
        dns.a("v4only.test", 60, "10.0.0.4");
        try (DnsResolver r = DnsResolver.create(opts().build())) {
            Object v6 = t.outcome(() -> r.resolve(t.loop, "v4only.test", StandardProtocolFamily.INET6));
            assertThat(v6).isInstanceOf(DnsException.class);
            assertThat(((DnsException) v6).code()).isEqualTo(Code.NODATA);
            assertThat(text(t.addresses(r, "v4only.test"))).containsExactly("10.0.0.4");
        }
    }

    @Test
    void theSearchListAndNdotsDecideWhichNamesAreAskedInWhichOrder() {
        dns.a("api.corp.test", 60, "10.0.0.5").a("x.y.z", 60, "10.0.0.6").a("abs.test", 60, "10.0.0.7")
                .a("abs.test.svc.test", 60, "10.9.9.9");
        try (DnsResolver r = DnsResolver.create(opts().search(List.of("svc.test", "corp.test")).ndots(2).build())) {
            Object api = t.outcome(() -> r.resolve(t.loop, "api", StandardProtocolFamily.INET));
            assertThat(text(castList(api))).containsExactly("10.0.0.5");
            assertThat(dns.log()).containsExactly("udp A api.svc.test", "udp A api.corp.test");

            Object xyz = t.outcome(() -> r.resolve(t.loop, "x.y.z", StandardProtocolFamily.INET));
            assertThat(text(castList(xyz))).containsExactly("10.0.0.6");
            assertThat(dns.log()).as("two dots >= ndots: as is first").endsWith("udp A x.y.z");

            Object abs = t.outcome(() -> r.resolve(t.loop, "abs.test.", StandardProtocolFamily.INET));
            assertThat(text(castList(abs))).as("a final dot: absolute, no search").containsExactly("10.0.0.7");
            assertThat(dns.log()).endsWith("udp A abs.test").doesNotContain("udp A abs.test.svc.test");

            DnsException nx = t.failure(r, "nothing");
            assertThat(nx.code()).isEqualTo(Code.NXDOMAIN);
            assertThat(nx.getMessage()).contains("nothing.svc.test", "nothing.corp.test");
        }
    }

    @Test
    void aSilentServerIsRetriedThenSkippedAndAllSilentIsATimeout() throws Exception {
        try (TestDnsServer silent = TestDnsServer.start()) {
            silent.drop("fo.test").drop("gone.test");
            dns.a("fo.test", 60, "10.0.0.8").drop("gone.test");
            try (DnsResolver r = DnsResolver.create(opts(silent.address(), dns.address()).attempts(2).build())) {
                Object v4 = t.outcome(() -> r.resolve(t.loop, "fo.test", StandardProtocolFamily.INET));
                assertThat(text(castList(v4))).containsExactly("10.0.0.8");
                assertThat(silent.count("udp A fo.test")).isEqualTo(1);
                assertThat(dns.count("udp A fo.test")).isEqualTo(1);

                Object gone = t.outcome(() -> r.resolve(t.loop, "gone.test", StandardProtocolFamily.INET));
                assertThat(gone).isInstanceOf(DnsException.class);
                DnsException e = (DnsException) gone;
                assertThat(e.code()).isEqualTo(Code.TIMEOUT);
                assertThat(e.getMessage()).contains(silent.address().toString(), dns.address().toString());
                assertThat(silent.count("udp A gone.test")).as("attempts x servers").isEqualTo(2);
                assertThat(dns.count("udp A gone.test")).isEqualTo(2);
                t.outcome(() -> r.resolve(t.loop, "gone.test", StandardProtocolFamily.INET));
                assertThat(dns.count("udp A gone.test")).as("timeouts are not cached").isEqualTo(4);
            }
        }
    }

    @Test
    void servfailAndAClosedPortMoveOnToTheNextServer() throws Exception {
        InetSocketAddress closed;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            closed = new InetSocketAddress("127.0.0.1", s.getLocalPort());
        }
        try (TestDnsServer failing = TestDnsServer.start()) {
            failing.servfail("sf.test").servfail("bad.test");
            dns.a("sf.test", 60, "10.0.0.10").servfail("bad.test");
            try (DnsResolver r = DnsResolver.create(opts(closed, failing.address(), dns.address()).attempts(1).build())) {
                Object v4 = t.outcome(() -> r.resolve(t.loop, "sf.test", StandardProtocolFamily.INET));
                assertThat(text(castList(v4))).containsExactly("10.0.0.10");
                assertThat(failing.count("udp A sf.test")).isEqualTo(1);
                Object bad = t.outcome(() -> r.resolve(t.loop, "bad.test", StandardProtocolFamily.INET));
                assertThat(((DnsException) bad).code()).isEqualTo(Code.SERVFAIL);
            }
        }
    }

    @Test
    void aTruncatedAnswerIsAskedAgainOverTcp() {
        String[] many = new String[40]; // 40 A records: 656 bytes of answers, past 512
        for (int i = 0; i < many.length; i++) {
            many[i] = "10.0.1." + (i + 1);
        }
        dns.a("big.test", 60, many).truncate("big.test");
        try (DnsResolver r = DnsResolver.create(opts().build())) {
            Object v4 = t.outcome(() -> r.resolve(t.loop, "big.test", StandardProtocolFamily.INET));
            assertThat(castList(v4)).hasSize(40);
            assertThat(dns.log()).containsExactly("udp A big.test", "tcp A big.test");
            assertThat(r.tcpQueries()).isEqualTo(1);
        }
    }

    @Test
    void withTheJdkFallbackANameOnlyTheSystemKnowsIsFound() throws Exception {
        String systemName = Files.readAllLines(Path.of("/etc/hosts")).stream()
                .map(l -> l.replaceAll("#.*", "").trim()).filter(l -> !l.isEmpty())
                .map(l -> l.split("\\s+")).filter(f -> f.length > 1 && f[0].equals("127.0.0.1"))
                .map(f -> f[1]).filter(n -> !n.equals("localhost")).findFirst().orElse(null);
        assertThat(systemName).as("this test needs a name other than localhost for 127.0.0.1 in /etc/hosts")
                .isNotNull();
        Path empty = Files.writeString(dir.resolve("empty-hosts"), "");
        dns.drop(systemName);
        try (DnsResolver r = DnsResolver.create(opts().hostsFile(empty).attempts(1).timeout(Duration.ofMillis(100))
                .jdkFallback(true).build())) {
            Object v4 = t.outcome(() -> r.resolve(t.loop, systemName, StandardProtocolFamily.INET));
            assertThat(text(castList(v4))).containsExactly("127.0.0.1");
            assertThat(r.jdkFallbacks()).isEqualTo(1);
        }
        try (DnsResolver r = DnsResolver.create(opts().hostsFile(empty).attempts(1).timeout(Duration.ofMillis(100))
                .build())) {
            Object v4 = t.outcome(() -> r.resolve(t.loop, systemName, StandardProtocolFamily.INET));
            assertThat(((DnsException) v4).code()).as("without the fallback").isEqualTo(Code.TIMEOUT);
        }
    }

    @Test
    void badNamesFailAtOnceWithBadName() {
        try (DnsResolver r = DnsResolver.create(opts().build())) {
            assertThat(t.failure(r, "bad..name").code()).isEqualTo(Code.BAD_NAME);
            assertThat(t.failure(r, "a".repeat(64) + ".test").code()).isEqualTo(Code.BAD_NAME);
            assertThat(dns.log()).isEmpty();
        }
    }

    @Test
    void theSystemFilesAreReadWithoutBlockingAndLocalhostResolves() {
        try (DnsResolver r = DnsResolver.create(ResolverOptions.builder().clock(t.now::get).build())) {
            List<InetAddress> a = t.addresses(r, "localhost");
            assertThat(a).contains(InetAddress.getLoopbackAddress());
        }
    }

    @SuppressWarnings("unchecked")
    private static List<InetAddress> castList(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<InetAddress>) o;
    }
}
