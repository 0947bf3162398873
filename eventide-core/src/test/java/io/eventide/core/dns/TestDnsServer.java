package io.eventide.core.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A small authoritative DNS server for tests, on 127.0.0.1, UDP and TCP on the same free port,
 * written here from RFC 1035 (it shares no code with the resolver it tests). Names are programmed
 * with addresses, CNAMEs, and misbehaviour: never answer, answer late, SERVFAIL, or truncate over
 * UDP (the full answer only over TCP). Every query received is logged as
 * {@code "udp A name"} / {@code "tcp AAAA name"}.
 */
final class TestDnsServer implements AutoCloseable {
    static final int A = 1;
    static final int AAAA = 28;
    private static final int CNAME = 5;
    private static final int SOA = 6;

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Map<String, List<byte[]>> v4 = new ConcurrentHashMap<>();
    private final Map<String, List<byte[]>> v6 = new ConcurrentHashMap<>();
    private final Map<String, String> cnames = new ConcurrentHashMap<>();
    private final Map<String, Long> ttls = new ConcurrentHashMap<>();
    private final Map<String, String> behaviour = new ConcurrentHashMap<>();
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    private volatile long negativeTtl = 60;
    private volatile boolean closed;

    private TestDnsServer(DatagramSocket udp, ServerSocket tcp) {
        this.udp = udp;
        this.tcp = tcp;
        Thread.ofPlatform().daemon().name("test-dns-udp").start(this::serveUdp);
        Thread.ofPlatform().daemon().name("test-dns-tcp").start(this::serveTcp);
    }

    /** Binds UDP on a free port, then TCP on the same port number (retrying if that one is taken). */
    static TestDnsServer start() throws IOException {
        for (int i = 0; i < 50; i++) {
            DatagramSocket u = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            try {
                ServerSocket t = new ServerSocket();
                t.bind(new InetSocketAddress("127.0.0.1", u.getLocalPort()));
                return new TestDnsServer(u, t);
            } catch (IOException e) {
                u.close();
            }
        }
        throw new IOException("no port free for both UDP and TCP");
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", udp.getLocalPort());
    }

    TestDnsServer a(String name, long ttl, String... ips) {
        put(v4, name, ttl, ips);
        return this;
    }

    TestDnsServer aaaa(String name, long ttl, String... ips) {
        put(v6, name, ttl, ips);
        return this;
    }

    TestDnsServer cname(String name, String target, long ttl) {
        cnames.put(key(name), key(target));
        ttls.put(key(name) + "/cname", ttl);
        return this;
    }

    /** Never answers this name (the client must time out). */
    TestDnsServer drop(String name) {
        behaviour.put(key(name), "drop");
        return this;
    }

    /** Answers SERVFAIL for this name. */
    TestDnsServer servfail(String name) {
        behaviour.put(key(name), "servfail");
        return this;
    }

    /** Over UDP: an empty answer with the TC bit; over TCP: the real answer. */
    TestDnsServer truncate(String name) {
        behaviour.put(key(name), "truncate");
        return this;
    }

    /** Answers this name only after {@code d}, without holding up other queries. */
    TestDnsServer delay(String name, Duration d) {
        delays.put(key(name), d);
        return this;
    }

    /** The SOA MINIMUM (negative TTL) sent with NXDOMAIN and NODATA. */
    TestDnsServer negativeTtl(long seconds) {
        negativeTtl = seconds;
        return this;
    }

    List<String> log() {
        return List.copyOf(log);
    }

    long count(String entry) {
        return log.stream().filter(entry::equals).count();
    }

    private void put(Map<String, List<byte[]>> m, String name, long ttl, String... ips) {
        List<byte[]> l = new ArrayList<>();
        for (String ip : ips) {
            try {
                l.add(InetAddress.getByName(ip).getAddress());
            } catch (IOException e) {
                throw new IllegalArgumentException(ip, e);
            }
        }
        m.put(key(name), l);
        ttls.put(key(name) + (m == v4 ? "/a" : "/aaaa"), ttl);
    }

    private static String key(String n) {
        String s = n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
        return s.toLowerCase(Locale.ROOT);
    }

    private void serveUdp() {
        byte[] buf = new byte[2048];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(p);
            } catch (IOException e) {
                return; // closed
            }
            byte[] q = java.util.Arrays.copyOf(p.getData(), p.getLength());
            InetSocketAddress from = (InetSocketAddress) p.getSocketAddress();
            answer(q, false, reply -> {
                try {
                    udp.send(new DatagramPacket(reply, reply.length, from));
                } catch (IOException e) {
                    // The client went away; a test server has nobody to tell.
                }
            });
        }
    }

    private void serveTcp() {
        while (!closed) {
            try {
                Socket s = tcp.accept();
                Thread.ofVirtual().start(() -> serveTcpClient(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serveTcpClient(Socket s) {
        try (s; DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
            byte[] q = new byte[in.readUnsignedShort()];
            in.readFully(q);
            answer(q, true, reply -> {
                try {
                    synchronized (out) {
                        out.writeShort(reply.length);
                        out.write(reply);
                        out.flush();
                    }
                } catch (IOException e) {
                    // client gone
                }
            });
            s.shutdownOutput();
        } catch (IOException e) {
            // client gone
        }
    }

    private void answer(byte[] q, boolean overTcp, java.util.function.Consumer<byte[]> send) {
        ByteBuffer b = ByteBuffer.wrap(q);
        int id = b.getShort() & 0xffff;
        b.position(12);
        StringBuilder name = new StringBuilder();
        for (int len = b.get() & 0xff; len != 0; len = b.get() & 0xff) {
            byte[] label = new byte[len];
            b.get(label);
            name.append(name.length() == 0 ? "" : ".").append(new String(label, StandardCharsets.US_ASCII));
        }
        int type = b.getShort() & 0xffff;
        int questionEnd = b.position() + 2;
        String n = key(name.toString());
        log.add((overTcp ? "tcp " : "udp ") + (type == A ? "A" : type == AAAA ? "AAAA" : String.valueOf(type)) + " " + n);
        String how = behaviour.get(n);
        if ("drop".equals(how)) {
            return;
        }
        byte[] reply = "truncate".equals(how) && !overTcp ? header(q, id, questionEnd, 0, true, List.of(), false)
                : "servfail".equals(how) ? header(q, id, questionEnd, 2, false, List.of(), false) : build(q, id, questionEnd, n, type);
        Duration d = delays.get(n);
        if (d != null) {
            later.schedule(() -> send.accept(reply), d.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            send.accept(reply);
        }
    }

    private byte[] build(byte[] q, int id, int questionEnd, String n, int type) {
        List<byte[]> rrs = new ArrayList<>();
        String target = n;
        for (int hops = 0; cnames.containsKey(target) && hops < 8; hops++) {
            String next = cnames.get(target);
            rrs.add(rr(target, CNAME, ttls.get(target + "/cname"), encodeName(next)));
            target = next;
        }
        Map<String, List<byte[]>> m = type == A ? v4 : v6;
        List<byte[]> addrs = m.get(target);
        if (addrs != null) {
            long ttl = ttls.get(target + (type == A ? "/a" : "/aaaa"));
            for (byte[] a : addrs) {
                rrs.add(rr(target, type, ttl, a));
            }
            return header(q, id, questionEnd, 0, false, rrs, false);
        }
        boolean exists = v4.containsKey(target) || v6.containsKey(target);
        return header(q, id, questionEnd, exists ? 0 : 3, false, rrs, true);
    }

    private byte[] header(byte[] q, int id, int questionEnd, int rcode, boolean tc, List<byte[]> answers, boolean soa) {
        ByteBuffer out = ByteBuffer.allocate(4096);
        out.putShort((short) id);
        out.putShort((short) (0x8000 | 0x0400 | 0x0100 | 0x0080 | (tc ? 0x0200 : 0) | rcode));
        out.putShort((short) 1).putShort((short) answers.size()).putShort((short) (soa ? 1 : 0)).putShort((short) 0);
        out.put(q, 12, questionEnd - 12);
        for (byte[] rr : answers) {
            out.put(rr);
        }
        if (soa) {
            ByteBuffer rdata = ByteBuffer.allocate(512);
            rdata.put(encodeName("ns.test")).put(encodeName("admin.test"));
            rdata.putInt(1).putInt(3600).putInt(600).putInt(86400).putInt((int) negativeTtl);
            byte[] r = java.util.Arrays.copyOf(rdata.array(), rdata.position());
            out.put(rr("test", SOA, 3600, r));
        }
        return java.util.Arrays.copyOf(out.array(), out.position());
    }

    private static byte[] rr(String owner, int type, long ttl, byte[] rdata) {
        byte[] name = encodeName(owner);
        ByteBuffer b = ByteBuffer.allocate(name.length + 10 + rdata.length);
        b.put(name).putShort((short) type).putShort((short) 1).putInt((int) ttl).putShort((short) rdata.length).put(rdata);
        return b.array();
    }

    private static byte[] encodeName(String n) {
        ByteBuffer b = ByteBuffer.allocate(n.length() + 2);
        for (String label : n.split("\\.")) {
            byte[] l = label.getBytes(StandardCharsets.US_ASCII);
            b.put((byte) l.length).put(l);
        }
        b.put((byte) 0);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    @Override
    public void close() {
        closed = true;
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            // closing a test server
        }
        later.shutdownNow();
    }
}
