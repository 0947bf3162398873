/** Internals of {@code io.eventide.core.dns}: the wire codec, queries, config files, cache; not API. */
package io.eventide.core.dns.internal;
