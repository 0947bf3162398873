package io.eventide.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several hosts behind a real nginx, on one machine: a network namespace per Eventide host and one
 * for nginx and the client, joined by veth pairs (Debian iproute2); traffic stays inside them.
 * nginx runs docs/nginx/eventide.conf as it is. A mixed idle/burst client (GETs and POSTs) runs
 * while one host is taken down for a deploy (SIGTERM: drain, exit) and started again: no request
 * fails, nginx answers no 502 and logs no "upstream prematurely closed". Needs root (namespaces);
 * installs nginx with apt-get when it is missing. Everything started is stopped by pid and the
 * namespaces are deleted.
 */
class NginxNamespacesIT {
    private final String tag = "ev" + ProcessHandle.current().pid() % 10000;
    private final int net = 200 + (int) (ProcessHandle.current().pid() % 50);
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> started = new ArrayList<>();

    @Test
    void aHostTakenDownForADeployBehindNginxLosesNoRequest(@TempDir Path dir) throws Exception {
        requireRootAndTools();
        try {
            String lb = namespace("lb");
            List<String> hosts = List.of(namespace("h1"), namespace("h2"));
            StringBuilder servers = new StringBuilder();
            for (int i = 0; i < hosts.size(); i++) {
                link(lb, hosts.get(i), i + 1);
                servers.append("server 10.").append(net).append('.').append(i + 1).append(".2:8080 max_fails=1 fail_timeout=2s;\n");
            }
            Files.writeString(dir.resolve("eventide-servers.conf"), servers);
            Path docsConf = repoRoot().resolve("docs/nginx/eventide.conf");
            Files.writeString(dir.resolve("nginx.conf"), nginxMain(dir, docsConf));
            LineProcess h1 = startHost(hosts.get(0));
            LineProcess h2 = startHost(hosts.get(1));
            h1.await(l -> l.startsWith("eventide: listening on"), "host 1 listening");
            h2.await(l -> l.startsWith("eventide: listening on"), "host 2 listening");
            LineProcess nginx = start(List.of("ip", "netns", "exec", lb, "nginx", "-p", dir.toString(), "-c",
                    dir.resolve("nginx.conf").toString(), "-g", "daemon off;"));
            Path stop = dir.resolve("stop-load");
            LineProcess load = start(List.of("ip", "netns", "exec", lb, ClusterProcess.JAVA, "-cp", ClusterProcess.CP,
                    NsLoad.class.getName(), "http://127.0.0.1:80", stop.toString(), "100"));
            load.await(l -> l.equals("bursts=10"), "10 bursts through nginx");

            h1.process.toHandle().destroy(); // the deploy: drain and exit...
            assertThat(h1.process.waitFor(60, TimeUnit.SECONDS)).as("host 1 drained").isTrue();
            assertThat(h1.process.exitValue()).isZero();
            int bursts = load.count(l -> l.startsWith("bursts="));
            load.await(l -> l.equals("bursts=" + (bursts + 5)), "5 bursts with host 1 down");
            LineProcess h1again = startHost(hosts.get(0)); // ...and the new version comes up
            h1again.await(l -> l.startsWith("eventide: listening on"), "host 1 back");
            int now = load.count(l -> l.startsWith("bursts="));
            load.await(l -> l.equals("bursts=" + (now + 10)), "10 bursts with host 1 back");
            Files.writeString(stop, "stop");
            String result = load.await(l -> l.startsWith("RESULT"), "load result");

            assertThat(result).as("client outcomes").matches("RESULT ok=\\d+ statuses=\\{200=\\d+\\} failures=\\[\\]");
            String access = Files.readString(dir.resolve("access.log"));
            assertThat(access.lines().filter(l -> l.startsWith("502 ") || l.startsWith("504 ")).toList()).as("502/504 in access.log").isEmpty();
            assertThat(access).as("both hosts served").contains("10." + net + ".1.2:8080", "10." + net + ".2.2:8080");
            // An idle keep-alive connection the draining host closes can cross a request nginx has
            // just written on it: HTTP/1.1's unavoidable race (RFC 9112 §9.3.1), which nginx answers
            // by retrying an idempotent request on the other host (proxy_next_upstream error). It
            // was seen twice in about thirty runs. Such a line is allowed for a GET, which the client
            // outcomes above show was answered; for anything else it would be a lost request.
            String errors = Files.readString(dir.resolve("error.log"));
            assertThat(errors.lines().filter(l -> l.contains("upstream prematurely closed") || l.contains("reset by peer"))
                    .filter(l -> !l.contains("request: \"GET ")).toList())
                    .as("nginx error.log: a closed or reset upstream under a request nginx may not retry").isEmpty();
            nginx.process.toHandle().destroy();
        } finally {
            cleanUp();
        }
    }

    private String nginxMain(Path dir, Path docsConf) {
        return """
                user root;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events { worker_connections 4096; }
                http {
                    log_format eventide '$status $upstream_status $upstream_addr $request_method $request_uri';
                    access_log %1$s/access.log eventide;
                    client_body_temp_path %1$s/tmp-body;
                    proxy_temp_path %1$s/tmp-proxy;
                    fastcgi_temp_path %1$s/tmp-fastcgi;
                    uwsgi_temp_path %1$s/tmp-uwsgi;
                    scgi_temp_path %1$s/tmp-scgi;
                    include %2$s;
                }
                """.formatted(dir, docsConf);
    }

    private void requireRootAndTools() throws Exception {
        String uid = new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).trim();
        assertThat(uid).as("this test builds network namespaces: it must run as root (CI does)").isEqualTo("0");
        assertThat(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")))
                .as("iproute2 (ip) is needed: apt-get install iproute2").isTrue();
        if (!Files.isExecutable(Path.of("/usr/sbin/nginx"))) {
            run(List.of("sh", "-c", "apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive "
                    + "apt-get -o DPkg::Lock::Timeout=600 install -y -qq nginx-light"));
            assertThat(Files.isExecutable(Path.of("/usr/sbin/nginx"))).as("nginx installed with apt-get").isTrue();
        }
    }

    private String namespace(String role) throws Exception {
        String ns = tag + "-" + role;
        run(List.of("ip", "netns", "add", ns));
        namespaces.add(ns);
        run(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
        return ns;
    }

    /** A veth pair between the balancer's namespace (10.net.i.1) and host i's (10.net.i.2). */
    private void link(String lb, String host, int i) throws Exception {
        String a = tag + "a" + i;
        String b = tag + "b" + i;
        run(List.of("ip", "link", "add", a, "netns", lb, "type", "veth", "peer", "name", b, "netns", host));
        run(List.of("ip", "-n", lb, "addr", "add", "10." + net + "." + i + ".1/24", "dev", a));
        run(List.of("ip", "-n", host, "addr", "add", "10." + net + "." + i + ".2/24", "dev", b));
        run(List.of("ip", "-n", lb, "link", "set", a, "up"));
        run(List.of("ip", "-n", host, "link", "set", b, "up"));
    }

    private LineProcess startHost(String ns) throws IOException {
        return start(List.of("ip", "netns", "exec", ns, ClusterProcess.JAVA, "-XX:+UseParallelGC", "-Xss1m",
                "-Deventide.config.port=8080", "-Deventide.config.host=0.0.0.0", "-Deventide.config.loops=1",
                "-cp", ClusterProcess.CP, ClusterApp.class.getName()));
    }

    private void cleanUp() throws Exception {
        for (Process p : started) {
            p.toHandle().descendants().forEach(ProcessHandle::destroy);
            p.toHandle().destroy();
        }
        for (Process p : started) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
        for (String ns : namespaces) {
            run(List.of("ip", "netns", "del", ns)); // its veth ends go with it
        }
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(600, TimeUnit.SECONDS)).as("%s finished", cmd).isTrue();
        assertThat(p.exitValue()).as("%s: %s", cmd, out).isZero();
    }

    private LineProcess start(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        started.add(p);
        return new LineProcess(p);
    }

    private static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("docs/nginx"))) {
            p = p.getParent();
        }
        assertThat(p).as("repository root with docs/nginx").isNotNull();
        return p;
    }
}
