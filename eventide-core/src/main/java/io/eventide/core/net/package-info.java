/**
 * TCP for event loops: {@link io.eventide.core.net.TcpServer}, {@link io.eventide.core.net.TcpClient},
 * {@link io.eventide.core.net.Connection} and {@link io.eventide.core.net.Pipe}.
 */
package io.eventide.core.net;
