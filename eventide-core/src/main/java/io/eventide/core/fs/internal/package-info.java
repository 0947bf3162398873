/** Internals of {@code io.eventide.core.fs}: error mapping and recursive tree operations; not API. */
package io.eventide.core.fs.internal;
