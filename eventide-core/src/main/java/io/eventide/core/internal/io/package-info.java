/**
 * The transport seam of eventide-core, not API: a loop's {@code Poller} and the {@code Sock}s it
 * opens, implemented over the JDK's selector and channels here ({@code NioPoller}, {@code NioSock})
 * and over Linux epoll through FFM in {@code io.eventide.core.internal.epoll}.
 */
package io.eventide.core.internal.io;
