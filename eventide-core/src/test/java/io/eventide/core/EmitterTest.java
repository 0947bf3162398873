package io.eventide.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class EmitterTest {
    static final Event<String> MESSAGE = Event.of("message");

    @Test
    void onOnceOffEmit() {
        Emitter e = new Emitter();
        List<String> got = new ArrayList<>();
        Consumer<String> always = s -> got.add("on:" + s);
        e.on(MESSAGE, always);
        e.once(MESSAGE, s -> got.add("once:" + s));
        assertThat(e.emit(MESSAGE, "a")).isTrue();
        e.emit(MESSAGE, "b");
        e.off(MESSAGE, always);
        assertThat(e.emit(MESSAGE, "c")).isFalse();
        assertThat(got).containsExactly("on:a", "once:a", "on:b");
        assertThat(e.listenerCount(MESSAGE)).isZero();
    }

    @Test
    void aThrowingListenerDoesNotStopTheOthersAndBecomesAnErrorEvent() {
        Emitter e = new Emitter();
        List<String> got = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        e.on(Event.ERROR, errors::add);
        e.on(MESSAGE, s -> {
            throw new IllegalStateException("first fails");
        });
        e.on(MESSAGE, got::add);
        e.emit(MESSAGE, "x");
        assertThat(got).containsExactly("x");
        assertThat(errors).extracting(Throwable::getMessage).containsExactly("first fails");
    }

    @Test
    void errorWithoutListenerIsReportedNotLost() {
        List<Throwable> uncaught = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (LoopGroup g = LoopGroup.create(LoopOptions.defaults().loops(1).onUncaught(uncaught::add))) {
            g.loop(0).offload(() -> 1).onSuccess(x -> new Emitter().emit(Event.ERROR, new RuntimeException("lost?")))
                    .toCompletableFuture().join();
            g.loop(0).promise(); // no-op; the report happened synchronously in emit
        }
        assertThat(uncaught).singleElement().satisfies(t -> assertThat(t.getCause()).hasMessage("lost?"));
    }

    @Test
    void listenersAddedDuringEmitWaitForTheNextEmit() {
        Emitter e = new Emitter();
        List<String> got = new ArrayList<>();
        e.on(MESSAGE, s -> e.on(MESSAGE, t -> got.add("late:" + t)));
        e.emit(MESSAGE, "1");
        assertThat(got).isEmpty();
        e.emit(MESSAGE, "2");
        assertThat(got).containsExactly("late:2");
    }

    @Test
    void leakWarningThresholdIsConfigurable() {
        Emitter e = new Emitter().maxListeners(2);
        for (int i = 0; i < 5; i++) {
            e.on(MESSAGE, s -> { });
        }
        assertThat(e.listenerCount(MESSAGE)).isEqualTo(5);
        assertThat(e.maxListeners()).isEqualTo(2);
    }
}
