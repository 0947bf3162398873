/**
 * The event bus joined to eventide-http: {@link io.eventide.bus.http.BusTopic} (WebSocket/SSE
 * fan-out across instances) and {@link io.eventide.bus.http.JobRoutes} (load levelling).
 */
package io.eventide.bus.http;
