package io.eventide.demo;

import io.eventide.http.HttpRequest;
import io.eventide.http.topic.LocalTopic;
import io.eventide.http.websocket.WebSocket;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chat rooms over WebSocket: each room is a topic; a message is encoded once and fanned out to
 * every socket in the room, whatever loop it lives on. Joins and leaves publish the room's user
 * count.
 *
 * <p><b>Threading:</b> sockets call in on their own loops; rooms are shared through concurrent
 * maps and published from any loop.
 */
public final class Chat {
    private static final int MAX_TEXT = 2000;
    private final ConcurrentHashMap<String, LocalTopic<String>> rooms = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    /** Creates an empty set of rooms. */
    public Chat() {
    }

    /**
     * @param req the upgrade request ({@code ?room=...&name=...})
     * @param ws the new socket
     */
    public void join(HttpRequest req, WebSocket ws) {
        String room = clean(req.queryParam("room"), "lobby", 40);
        String name = clean(req.queryParam("name"), "guest", 24);
        LocalTopic<String> topic = rooms.computeIfAbsent(room, LocalTopic::create);
        topic.subscribe(ws);
        AtomicInteger count = counts.computeIfAbsent(room, r -> new AtomicInteger());
        publishCount(topic, count.incrementAndGet());
        ws.onText(text -> {
            String t = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
            topic.publish("{\"type\":\"message\",\"name\":" + JsonText.quote(name) + ",\"text\":" + JsonText.quote(t) + "}");
        });
        ws.onClose((code, reason) -> publishCount(topic, count.decrementAndGet()));
    }

    private static void publishCount(LocalTopic<String> topic, int n) {
        topic.publish("{\"type\":\"count\",\"users\":" + n + "}");
    }

    private static String clean(String s, String dflt, int max) {
        if (s == null || s.isBlank()) {
            return dflt;
        }
        String t = s.strip();
        return t.length() > max ? t.substring(0, max) : t;
    }
}
