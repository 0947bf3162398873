/**
 * The epoll transport of eventide-core, not API: epoll, sockets and eventfd called through the
 * Foreign Function &amp; Memory API. Compiled for Java 22 and loaded by name from
 * {@code io.eventide.core.internal.io.Transports}.
 */
package io.eventide.core.internal.epoll;
