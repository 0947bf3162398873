package io.eventide.lab.driver;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a driver in a process of its own, so that 15,000 sockets count against that process's
 * file limit and its CPU is pinned apart from the server's. The orchestrator reads one line
 * starting with {@code LAB } per answer.
 *
 * <pre>
 *  open HOST PORT CONNECTIONS RATE WARMUP_MS DURATION_MS DRAIN_MS SEED LABEL:PATH:WEIGHT...
 *      runs {@link OpenModelDriver}, prints "LAB RESULT {json of OpenModelResult}"
 *  idle HOST PORT
 *      reads commands on stdin:  "grow N SECONDS" -&gt; "LAB IDLE held=N"
 *                                "alive"          -&gt; "LAB IDLE held=N"
 *      and exits at "close" or end of input, closing every connection.
 * </pre>
 *
 * <p><b>Threading:</b> a process entry point; everything runs on the main thread.
 */
public final class DriverMain {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DriverMain() {
    }

    /**
     * @param args see the class description
     * @throws IOException when the driver cannot run
     */
    public static void main(String[] args) throws IOException {
        if (args.length >= 9 && args[0].equals("open")) {
            OpenModelResult r = OpenModelDriver.run(openConfig(args));
            System.out.println("LAB RESULT " + JSON.writeValueAsString(r));
        } else if (args.length == 3 && args[0].equals("idle")) {
            idle(args[1], Integer.parseInt(args[2]));
        } else {
            System.err.println("usage: open HOST PORT CONNECTIONS RATE WARMUP_MS DURATION_MS DRAIN_MS SEED"
                    + " LABEL:PATH:WEIGHT... | idle HOST PORT");
            System.exit(2);
        }
        System.out.flush();
    }

    /** Parses the arguments of {@code open}. @param a the arguments @return the configuration */
    static OpenModelDriver.Config openConfig(String[] a) {
        List<OpenModelDriver.Target> mix = new ArrayList<>();
        for (int i = 9; i < a.length; i++) {
            String[] t = a[i].split(":", 3);
            int lastColon = a[i].lastIndexOf(':');
            int firstColon = a[i].indexOf(':');
            if (t.length < 3 || lastColon == firstColon) {
                throw new IllegalArgumentException("mix entry must be LABEL:PATH:WEIGHT: " + a[i]);
            }
            mix.add(new OpenModelDriver.Target(a[i].substring(0, firstColon), a[i].substring(firstColon + 1,
                    lastColon), Double.parseDouble(a[i].substring(lastColon + 1))));
        }
        return new OpenModelDriver.Config(a[1], Integer.parseInt(a[2]), Integer.parseInt(a[3]),
                Double.parseDouble(a[4]), Duration.ofMillis(Long.parseLong(a[5])),
                Duration.ofMillis(Long.parseLong(a[6])), Duration.ofMillis(Long.parseLong(a[7])), mix,
                Long.parseLong(a[8]));
    }

    /**
     * The command line that makes {@link #openConfig} return {@code c}.
     *
     * @param c a configuration
     * @return the arguments
     */
    public static List<String> openArgs(OpenModelDriver.Config c) {
        List<String> a = new ArrayList<>(List.of("open", c.host(), String.valueOf(c.port()),
                String.valueOf(c.connections()), String.valueOf(c.rate()), String.valueOf(c.warmup().toMillis()),
                String.valueOf(c.duration().toMillis()), String.valueOf(c.drain().toMillis()),
                String.valueOf(c.seed())));
        for (OpenModelDriver.Target t : c.mix()) {
            a.add(t.label() + ":" + t.path() + ":" + t.weight());
        }
        return a;
    }

    private static void idle(String host, int port) throws IOException {
        try (IdleDriver driver = new IdleDriver(host, port);
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] cmd = line.trim().split("\\s+");
                switch (cmd[0]) {
                    case "grow" -> driver.growTo(Integer.parseInt(cmd[1]),
                            Duration.ofSeconds(Long.parseLong(cmd[2])));
                    case "alive" -> driver.alive();
                    case "close" -> {
                        return;
                    }
                    default -> {
                        System.out.println("LAB ERROR unknown command: " + line);
                        continue;
                    }
                }
                System.out.println("LAB IDLE held=" + driver.size());
                System.out.flush();
            }
        }
    }
}
