/**
 * Eventide core: event loops ({@link io.eventide.core.EventLoop}, {@link io.eventide.core.LoopGroup}),
 * promises, timers, buffers and workers; TCP lives in {@code io.eventide.core.net}.
 *
 * <p>Module layout: eventide-core (this, JDK only) ← eventide-http (HTTP/1.1, WebSocket, SSE) ←
 * eventide-lab / eventide-cli.
 */
package io.eventide.core;
