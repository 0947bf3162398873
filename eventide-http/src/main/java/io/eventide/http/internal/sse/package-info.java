/** Server-Sent Events internals: the event encoder and the stream over a chunked response. Not API. */
package io.eventide.http.internal.sse;
