package io.eventide.http.internal.websocket;

import io.eventide.core.EventLoop;
import io.eventide.http.websocket.WebSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open client-side sockets of each loop, so that a graceful close of the loop group says
 * goodbye (1001) to the server instead of having them cut at the deadline. Servers get this from
 * {@code TcpServer}, which asks its accepted connections to finish; connections opened with
 * {@code TcpClient} are tracked by nobody, hence this registry.
 *
 * <p><b>Threading:</b> {@link #track} on the socket's loop; each loop's set is touched only by
 * that loop, the map of loops is concurrent.
 */
public final class ClientSessions {
    private static final Map<EventLoop, Set<WebSocketSession>> OPEN = new ConcurrentHashMap<>();

    private ClientSessions() {
    }

    /** @param ws a client socket that just opened; untracked again when it closes */
    public static void track(WebSocketSession ws) {
        EventLoop loop = ws.loop();
        Set<WebSocketSession> set = OPEN.get(loop);
        if (set == null) {
            Set<WebSocketSession> fresh = new HashSet<>();
            set = fresh;
            OPEN.put(loop, fresh);
            loop.onShutdown(() -> {
                OPEN.remove(loop, fresh);
                for (WebSocketSession s : new ArrayList<>(fresh)) {
                    s.close(WebSocket.GOING_AWAY, "going away");
                }
            });
        }
        Set<WebSocketSession> mine = set;
        mine.add(ws);
        ws.onTerminated(() -> mine.remove(ws));
    }
}
