/**
 * Topics: publish once from any thread, deliver to subscribers on every loop.
 * {@link io.eventide.http.topic.Topic} is the seam a broker-backed bus plugs into;
 * {@link io.eventide.http.topic.LocalTopic} fans out within the process, encoding a WebSocket frame
 * or SSE event once per publish and sharing it across connections.
 */
package io.eventide.http.topic;
