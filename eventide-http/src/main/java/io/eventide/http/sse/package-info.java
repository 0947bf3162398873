/**
 * Server-Sent Events: {@link io.eventide.http.sse.Sse#start} turns a response into an
 * {@link io.eventide.http.sse.SseStream} of events, with heartbeats, reconnection ids and a
 * slow-consumer budget.
 */
package io.eventide.http.sse;
