/**
 * Handlers that may block: {@link io.eventide.http.blocking.Blocking#blocking} runs a route on
 * virtual threads with a per-route concurrency limit, the loop still writing the response;
 * {@link io.eventide.http.blocking.Blocking#await} waits for a promise there.
 */
package io.eventide.http.blocking;
