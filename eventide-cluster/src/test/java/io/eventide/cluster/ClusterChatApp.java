package io.eventide.cluster;

import io.eventide.bus.Bus;
import io.eventide.bus.http.BusTopic;
import io.eventide.bus.nats.NatsOptions;
import io.eventide.bus.nats.NatsTransport;
import io.eventide.bus.rabbitmq.RabbitOptions;
import io.eventide.bus.rabbitmq.RabbitTransport;
import io.eventide.bus.spi.Transport;
import io.eventide.cli.Host;
import io.eventide.cli.HostConfig;
import io.eventide.http.topic.LocalTopic;
import io.eventide.http.topic.Topic;
import io.eventide.http.websocket.WebSocketOptions;
import io.eventide.http.websocket.WebSockets;
import java.util.Map;

/**
 * The chat app of {@link ClusterEventsIT}, run as the workers of a cluster: a WebSocket room at
 * {@code /chat} where every text a client sends is broadcast to the room. With
 * {@code -Dchat.broker=rabbitmq} or {@code nats} the room is a {@link BusTopic} bridged to that
 * broker, so a message reaches the sockets of every worker; with {@code none} it is a
 * {@link LocalTopic}, one per worker, and says so. Each socket is greeted with
 * {@code hello <pid> <mode>} so a client knows which worker it landed on.
 */
public final class ClusterChatApp {
    private ClusterChatApp() {
    }

    public static void main(String[] args) {
        String broker = System.getProperty("chat.broker", "none");
        String address = System.getProperty("chat.address", "chat.lobby");
        Host host = Host.create(HostConfig.load(Map.of("admission.max-lag-ms", "600000",
                "admission.max-worker-queue", Integer.toString(Integer.MAX_VALUE))));
        Transport transport = switch (broker) {
            case "rabbitmq" -> RabbitTransport.create(RabbitOptions.defaults());
            case "nats" -> NatsTransport.create(NatsOptions.defaults());
            case "none" -> null;
            default -> throw new IllegalArgumentException("chat.broker: rabbitmq, nats or none, not " + broker);
        };
        Topic<String> room;
        String mode;
        if (transport == null) {
            room = LocalTopic.create(address);
            mode = "local: this worker's sockets only (no broker)";
        } else {
            room = BusTopic.create(Bus.create(host.group()).bridge("", transport), address);
            mode = "every worker, over " + transport.name();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> transport.close().join())); // blocking-ok: exit hook
        }
        System.out.println("chat room " + address + ": " + mode);
        String pid = Long.toString(ProcessHandle.current().pid());
        host.http().get("/chat", WebSockets.handler(WebSocketOptions.defaults(), ws -> {
            ws.sendText("hello " + pid + " " + mode);
            room.subscribe(ws);
            ws.onText(room::publish);
        }));
        host.start();
    }
}
