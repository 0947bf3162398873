package io.eventide.lab.run;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Hands out a fresh port for every server the lab starts, below the ephemeral range so clients'
 * ports never collide with it. A fresh port per server also keeps the TIME_WAIT sockets of one
 * cell's 10,000 connections from crowding the next server's client ports.
 *
 * <p><b>Threading:</b> any thread; synchronised.
 */
final class Ports {
    private static int next = 20_000;

    private Ports() {
    }

    /** @return a port that was free a moment ago on 127.0.0.1 */
    static synchronized int next() {
        for (int i = 0; i < 2_000; i++) {
            int p = next++;
            if (next >= 32_000) {
                next = 20_000;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("127.0.0.1", p));
                return p;
            } catch (IOException e) {
                // Taken: try the next one.
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000");
    }
}
