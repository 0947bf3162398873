/** The JSON module's internals: its {@link io.eventide.http.spi.Warmup}. Not an API. */
package io.eventide.json.internal;
