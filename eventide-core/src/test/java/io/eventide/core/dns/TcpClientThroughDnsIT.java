package io.eventide.core.dns;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.net.TcpClient;
import io.eventide.core.net.TcpOptions;
import io.eventide.core.net.TcpServer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * End to end: {@code TcpClient.connect("svc.test")} asks the group's {@link DnsResolver}, which asks
 * the test's DNS server for AAAA and A; ::1 is refused (nothing listens there), 127.0.0.1 answers.
 */
class TcpClientThroughDnsIT {

    @Test
    void aDualStackNameFromDnsConnectsToTheFamilyThatListens() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start(); DnsTesting t = new DnsTesting("dns-tcp")) {
            dns.a("svc.test", 60, "127.0.0.1").aaaa("svc.test", 60, "::1");
            DnsResolver r = DnsResolver.create(ResolverOptions.builder().resolvConf(null).hostsFile(null)
                    .nameservers(List.of(dns.address())).timeout(Duration.ofSeconds(2)).build());
            Resolver.setDefault(t.group, r);
            TcpServer server = TcpServer.create(t.group, TcpOptions.defaults(), c -> {
                c.write(ByteBuffer.wrap("via dns".getBytes(US_ASCII)));
                c.end();
            });
            server.listen("127.0.0.1", 0).join(Duration.ofSeconds(10));
            CompletableFuture<String> got = new CompletableFuture<>();
            t.loop.execute(() -> TcpClient.connect(t.loop, "svc.test", server.port()).whenComplete((c, e) -> {
                if (e != null) {
                    got.completeExceptionally(e);
                    return;
                }
                StringBuilder sb = new StringBuilder();
                c.onData(b -> sb.append(US_ASCII.decode(b)));
                c.onClose(x -> got.complete(sb.toString()));
            }));
            assertThat(got.get(20, TimeUnit.SECONDS)).isEqualTo("via dns");
            assertThat(dns.log()).containsExactlyInAnyOrder("udp AAAA svc.test", "udp A svc.test");
            server.close().join(Duration.ofSeconds(10));
            r.close();
        }
    }
}
