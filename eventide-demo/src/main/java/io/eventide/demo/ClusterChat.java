package io.eventide.demo;

import io.eventide.bus.Bus;
import io.eventide.bus.ConsumerOptions;
import io.eventide.bus.Handler;
import io.eventide.bus.Message;
import io.eventide.bus.Overflow;
import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import io.eventide.http.HttpRequest;
import io.eventide.http.topic.LocalTopic;
import io.eventide.http.websocket.WebSocket;
import io.eventide.pg.PgClient;
import io.eventide.pg.Row;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The chat of {@code ./eventide demo --cluster}: rooms whose messages reach the sockets of every
 * worker, with a history a newcomer is shown first.
 *
 * <pre>
 *   socket text ─► [INSERT ... RETURNING id] ─► fan-out ─► every worker: relay ─► room's LocalTopic ─► its sockets
 *                   (PostgreSQL, when it answers)    │
 *                                                    ├─ a broker: one bus address for every room, the room in a header
 *                                                    ├─ else PostgreSQL: NOTIFY on one channel, every worker LISTENs
 *                                                    └─ else none: this worker's sockets only
 * </pre>
 *
 * The history comes from PostgreSQL ({@value #HISTORY} latest rows of the room) when it answers,
 * else from this worker's memory of what it relayed (with a broker every worker relays every
 * message, so every worker remembers the same). Per-room user counts are this worker's; the
 * dashboard samples carry them ({@link #rooms()}) and the page adds up the live workers'.
 *
 * <p><b>Threading:</b> sockets call in on their loops; the relay runs on one loop of the group;
 * rooms and histories are shared through concurrent maps, each history deque guarded by itself.
 */
final class ClusterChat {
    static final int HISTORY = 50;
    private static final int MAX_TEXT = 1000;
    private static final int MAX_ROOMS = 64;
    /** NOTIFY payloads must stay under 8000 bytes. */
    private static final int MAX_NOTIFY_BYTES = 7900;
    private static final String ROOM_HEADER = "room";

    private final Services services;
    private final Bus bus;
    private final String address;
    private final String worker;
    private final String hello;
    private final ConcurrentHashMap<String, LocalTopic<String>> rooms = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ArrayDeque<String>> memory = new ConcurrentHashMap<>();

    /**
     * @param services what the machine offers
     * @param bus the bus (bridged to the broker, if there is one)
     * @param worker this worker's slot
     * @param relayLoop where deliveries from the broker or PostgreSQL are relayed
     */
    ClusterChat(Services services, Bus bus, String worker, EventLoop relayLoop) {
        this.services = services;
        this.bus = bus;
        this.address = services.address("chat");
        this.worker = worker;
        this.hello = "{\"type\":\"hello\",\"worker\":" + JsonText.quote(worker) + ",\"pid\":" + ProcessHandle.current().pid()
                + ",\"fanout\":" + JsonText.quote(fanout()) + ",\"history\":" + JsonText.quote(history()) + "}";
        if (services.transport() != null) {
            bus.subscribe(relayLoop, address, ConsumerOptions.defaults().credit(1).capacity(4096).overflow(Overflow.DROP_OLDEST),
                    Handler.sync(d -> deliver(d.message().header(ROOM_HEADER), d.message().text())));
        } else if (services.pg() != null) {
            services.pg().listen(services.channel(), n -> {
                int nl = n.payload().indexOf('\n');
                if (nl > 0) {
                    deliver(n.payload().substring(0, nl), n.payload().substring(nl + 1));
                }
            }).join(java.time.Duration.ofSeconds(5)); // blocking-ok: constructed on main at startup
        }
    }

    /** @return how messages reach the other workers, for the page */
    String fanout() {
        if (services.transport() != null) {
            return "every worker, over " + services.transport().name();
        }
        return services.pg() != null ? "every worker, over PostgreSQL LISTEN/NOTIFY (no broker)"
                : "this worker's sockets only (no broker, no PostgreSQL)";
    }

    /** @return where the history lives, for the page */
    String history() {
        return services.pg() != null ? "PostgreSQL " + services.pgName() + ", table " + services.table()
                : "memory: the last " + HISTORY + " messages per room this worker relayed (PostgreSQL: " + services.pgName() + ")";
    }

    /** @return users per room on this worker, as a JSON object (rooms with nobody left out) */
    String rooms() {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, AtomicInteger> e : new TreeMap<>(counts).entrySet()) {
            if (e.getValue().get() > 0) {
                b.append(b.length() > 1 ? "," : "").append(JsonText.quote(e.getKey())).append(':').append(e.getValue().get());
            }
        }
        return b.append('}').toString();
    }

    /**
     * @param req the upgrade request ({@code ?room=...&name=...})
     * @param ws the new socket
     */
    void join(HttpRequest req, WebSocket ws) {
        String room = clean(req.queryParam("room"), "lobby", 40);
        String name = clean(req.queryParam("name"), "guest", 24);
        if (!rooms.containsKey(room) && rooms.size() >= MAX_ROOMS) {
            ws.close(1008, "too many rooms on this demo (" + MAX_ROOMS + ")");
            return;
        }
        ws.sendText(hello);
        LocalTopic<String> topic = rooms.computeIfAbsent(room, LocalTopic::create);
        topic.subscribe(ws);
        AtomicInteger count = counts.computeIfAbsent(room, r -> new AtomicInteger());
        count.incrementAndGet();
        ws.onClose((code, reason) -> count.decrementAndGet());
        sendHistory(room, ws);
        ws.onText(text -> say(room, name, text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text));
    }

    private void sendHistory(String room, WebSocket ws) {
        PgClient pg = services.pg();
        if (pg == null) {
            String items;
            ArrayDeque<String> h = memory.get(room);
            if (h == null) {
                items = "";
            } else {
                synchronized (h) {
                    items = String.join(",", h);
                }
            }
            ws.sendText("{\"type\":\"history\",\"source\":\"memory\",\"messages\":[" + items + "]}");
            return;
        }
        pg.query("SELECT id, name, text, worker FROM " + services.table() + " WHERE room = $1 ORDER BY id DESC LIMIT "
                + HISTORY, room).onSuccess(rows -> {
                    StringBuilder b = new StringBuilder();
                    for (int i = rows.size() - 1; i >= 0; i--) {
                        Row r = rows.rows().get(i);
                        b.append(b.length() > 0 ? "," : "").append(message(r.getLong(0), r.getString(1), r.getString(2), r.getString(3)));
                    }
                    if (ws.isOpen()) {
                        ws.sendText("{\"type\":\"history\",\"source\":\"postgresql\",\"messages\":[" + b + "]}");
                    }
                }).onFailure(e -> {
                    if (ws.isOpen()) {
                        ws.sendText("{\"type\":\"history\",\"source\":\"postgresql\",\"error\":" + JsonText.quote(String.valueOf(
                                e.getMessage())) + ",\"messages\":[]}");
                    }
                });
    }

    private void say(String room, String name, String text) {
        PgClient pg = services.pg();
        if (pg == null) {
            fanOut(room, message(0, name, text, worker));
            return;
        }
        // Persist first: the id lets a page that also fetched the history drop the duplicate.
        pg.query("INSERT INTO " + services.table() + " (room, name, text, worker) VALUES ($1, $2, $3, $4) RETURNING id",
                room, name, text, worker)
                .map(rows -> rows.first().getLong(0))
                .recover(e -> 0L) // not persisted (the database went away): still delivered live
                .onSuccess(id -> fanOut(room, message(id, name, text, worker)));
    }

    private void fanOut(String room, String json) {
        if (services.transport() != null) {
            bus.publish(address, Message.of(json).header(ROOM_HEADER, room));
        } else if (services.pg() != null) {
            String payload = room + "\n" + json;
            if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_NOTIFY_BYTES) {
                payload = room + "\n" + message(0, "eventide", "(a message too long for NOTIFY was dropped)", worker);
            }
            Promise<?> sent = services.pg().query("SELECT pg_notify($1, $2)", services.channel(), payload);
            sent.onFailure(e -> deliver(room, json)); // no database: at least this worker's sockets get it
        } else {
            deliver(room, json);
        }
    }

    /** A message from the broker, NOTIFY or this worker: into the room's local topic and memory. */
    private void deliver(String room, String json) {
        if (room == null || json == null) {
            return;
        }
        // Rooms come from every worker over the broker: remember a bounded number of them.
        if (services.pg() == null && (memory.containsKey(room) || memory.size() < 4 * MAX_ROOMS)) {
            ArrayDeque<String> h = memory.computeIfAbsent(room, r -> new ArrayDeque<>());
            synchronized (h) {
                h.addLast(json);
                if (h.size() > HISTORY) {
                    h.removeFirst();
                }
            }
        }
        LocalTopic<String> topic = rooms.get(room);
        if (topic != null) {
            topic.publish(json);
        }
    }

    private static String message(long id, String name, String text, String worker) {
        return "{\"type\":\"message\",\"id\":" + id + ",\"name\":" + JsonText.quote(name) + ",\"text\":" + JsonText.quote(text)
                + ",\"worker\":" + JsonText.quote(worker) + "}";
    }

    private static String clean(String s, String dflt, int max) {
        if (s == null || s.isBlank()) {
            return dflt;
        }
        String t = s.strip();
        return t.length() > max ? t.substring(0, max) : t;
    }
}
