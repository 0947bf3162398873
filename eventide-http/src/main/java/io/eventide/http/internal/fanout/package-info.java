/** The seam between topics and the streams they write pre-encoded bytes to. Not API. */
package io.eventide.http.internal.fanout;
