package io.eventide.core;

import java.util.Locale;

/**
 * How a {@link LoopGroup}'s loops wait for and move socket I/O.
 *
 * <ul>
 *   <li>{@link #NIO}: the JDK's {@code Selector} and socket channels. The default; every platform.
 *   <li>{@link #EPOLL}: Linux {@code epoll} (edge-triggered), {@code read}/{@code write}/{@code writev},
 *       {@code accept4} and {@code eventfd}, called through the Foreign Function &amp; Memory API (no
 *       JNI, nothing to build). Needs Linux on x86-64 or AArch64 and a JDK 22 or newer (where that
 *       API is final) started with {@code --enable-native-access=io.eventide.core} (module path)
 *       or {@code =ALL-UNNAMED} (class path), else the JDK warns on first use.
 * </ul>
 *
 * <p>Both carry the same {@link io.eventide.core.spi.IoHandler}s: TCP, TLS, HTTP, WebSocket, DNS
 * and the PostgreSQL client run unchanged on either. Choose with
 * {@link LoopOptions.Builder#transport(Transport)} or the system property
 * {@code eventide.core.transport} ({@code nio} or {@code epoll}).
 *
 * <p><b>Threading:</b> immutable constants; any thread.
 */
public enum Transport {
    /** The JDK's selector and channels. */
    NIO,
    /** Linux epoll through the Foreign Function &amp; Memory API. */
    EPOLL;

    /**
     * @param name {@code nio} or {@code epoll}, any case
     * @return that transport
     * @throws IllegalArgumentException for any other name
     */
    public static Transport parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "nio" -> NIO;
            case "epoll", "native" -> EPOLL;
            default -> throw new IllegalArgumentException("unknown transport '" + name + "': nio or epoll");
        };
    }

    /**
     * @return why this transport cannot run in this JVM, or null if it can
     */
    public String unavailableReason() {
        return this == NIO ? null : io.eventide.core.internal.io.Transports.epollUnavailableReason();
    }
}
