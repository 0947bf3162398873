package io.eventide.bus.internal;

import io.eventide.bus.BusException;
import io.eventide.bus.Delivery;
import io.eventide.bus.Message;
import io.eventide.core.EventLoop;
import io.eventide.core.Promise;

/**
 * A delivery on the local bus; for a request, it carries the requester's promise, which the first
 * {@link #reply} or {@link #fail} settles (a CAS: any thread may win, the reactions run on the
 * requester's loop).
 *
 * <p><b>Threading:</b> loop-confined to the consumer's loop, except the requester's promise.
 */
public final class LocalDelivery implements Delivery {
    private final String address;
    private final Message message;
    private final EventLoop loop;
    private final Promise<Message> requester;

    /**
     * @param address the address
     * @param message the message
     * @param loop the consumer's loop
     * @param requester the requester's promise, or null for a send or publish
     */
    public LocalDelivery(String address, Message message, EventLoop loop, Promise<Message> requester) {
        this.address = address;
        this.message = message;
        this.loop = loop;
        this.requester = requester;
    }

    /** @param consumerLoop the loop of the consumer it goes to @return the same message for that consumer */
    public LocalDelivery to(EventLoop consumerLoop) {
        return new LocalDelivery(address, message, consumerLoop, requester);
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public Message message() {
        return message;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public boolean isRequest() {
        return requester != null;
    }

    @Override
    public void reply(Message reply) {
        if (requester == null) {
            Delivery.super.reply(reply);
        }
        requester.resolve(reply);
    }

    @Override
    public void fail(String reason) {
        if (requester == null) {
            Delivery.super.fail(reason);
        }
        requester.reject(new BusException("request to " + address + " failed: " + reason));
    }

    /**
     * Called when the handler is done: a request still unanswered fails.
     *
     * @param failure the handler's failure, or null
     */
    public void settled(Throwable failure) {
        if (requester == null || requester.isDone()) {
            return;
        }
        if (failure != null) {
            requester.reject(new BusException("the handler of " + address + " failed: " + failure, failure));
        } else {
            requester.reject(new BusException("the handler of " + address + " finished without replying"));
        }
    }
}
