/**
 * Eventide: the Node.js execution model for Java. {@link io.eventide.Eventide} is the front door.
 * Modules: eventide-core (loops, promises, TCP; JDK only), eventide-http (HTTP/1.1, WebSocket, SSE),
 * eventide-json (Jackson), eventide-cli (hosting, metrics), eventide-lab (the benchmark lab).
 */
package io.eventide;
