/** Internals of eventide-core; not API. */
package io.eventide.core.internal;
