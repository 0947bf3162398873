package io.eventide.core.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import io.eventide.core.Promise;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** One loop, a fake TTL clock, and helpers that ask on the loop and wait. */
final class DnsTesting implements AutoCloseable {
    final ConcurrentLinkedQueue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
    final LoopGroup group;
    final EventLoop loop;
    /** Nanoseconds of the fake clock handed to resolvers: TTLs expire only when a test says so. */
    final AtomicLong now = new AtomicLong(1_000_000_000L);

    DnsTesting(String name) {
        group = LoopGroup.create(LoopOptions.builder().loops(1).namePrefix(name)
                .onUncaught(uncaught::add).onUnhandledRejection(uncaught::add).build());
        loop = group.loop(0);
    }

    void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    /** Runs on the loop, with the reaction attached in the same callback; returns value or failure. */
    <T> Object outcome(Supplier<Promise<T>> call) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        loop.execute(() -> call.get().whenComplete((v, e) -> f.complete(e != null ? e : v)));
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @SuppressWarnings("unchecked")
    List<InetAddress> addresses(Resolver r, String host) {
        Object o = outcome(() -> r.resolve(loop, host));
        assertThat(o).as("resolving %s", host).isInstanceOf(List.class);
        return (List<InetAddress>) o;
    }

    DnsException failure(Resolver r, String host) {
        Object o = outcome(() -> r.resolve(loop, host));
        assertThat(o).as("resolving %s should fail", host).isInstanceOf(DnsException.class);
        return (DnsException) o;
    }

    static List<String> text(List<InetAddress> addrs) {
        return addrs.stream().map(InetAddress::getHostAddress).toList();
    }

    @Override
    public void close() {
        // One select later, cancelled keys are gone: any key left is a socket a query leaked.
        outcome(() -> {
            Promise<Object> p = loop.promise();
            loop.setTimeout(5, () -> p.resolve("tick"));
            return p;
        });
        assertThat(loop.registeredChannels()).as("sockets left registered on the loop").isZero();
        try {
            group.close(Duration.ofSeconds(5)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(uncaught).as("uncaught errors and unhandled rejections").isEmpty();
    }
}
