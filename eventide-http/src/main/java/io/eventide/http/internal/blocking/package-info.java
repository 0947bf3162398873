/** Internals of blocking routes: pinned-carrier detection through JFR; not API. */
package io.eventide.http.internal.blocking;
