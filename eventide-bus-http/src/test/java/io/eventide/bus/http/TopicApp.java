package io.eventide.bus.http;

import io.eventide.bus.Bus;
import io.eventide.bus.rabbitmq.RabbitOptions;
import io.eventide.bus.rabbitmq.RabbitTransport;
import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import io.eventide.http.HttpOptions;
import io.eventide.http.HttpServer;
import io.eventide.http.websocket.WebSocketOptions;
import io.eventide.http.websocket.WebSockets;

/**
 * One Eventide instance of the cross-instance test, run as its own process: a WebSocket route
 * subscribed to a {@link BusTopic} bridged to RabbitMQ, and {@code POST /say} publishing to it.
 * Prints {@code PORT n} once listening and {@code READY} once its relay is bound at the broker.
 */
public final class TopicApp {
    private TopicApp() {
    }

    /** @param args the topic's bus address */
    public static void main(String[] args) throws Exception {
        String address = args[0];
        LoopGroup group = LoopGroup.create(LoopOptions.builder().loops(2).build());
        RabbitTransport rabbit = RabbitTransport.create(RabbitOptions.defaults());
        Bus bus = Bus.create(group).bridge("", rabbit);
        BusTopic<String> topic = BusTopic.create(bus, address);
        HttpServer app = HttpServer.create(group, HttpOptions.defaults());
        app.get("/ws", WebSockets.handler(WebSocketOptions.defaults(), ws -> topic.subscribe(ws)));
        app.post("/say", (req, res) -> req.bodyAsString().onSuccess(text -> {
            topic.publish(text);
            res.end("ok");
        }));
        app.get("/relayed", (req, res) -> res.end(Long.toString(topic.relayed())));
        app.listen("127.0.0.1", 0).join();
        System.out.println("PORT " + app.port());
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> rabbit.close().join()));
        Thread.currentThread().join(); // until the test destroys this process
    }
}
