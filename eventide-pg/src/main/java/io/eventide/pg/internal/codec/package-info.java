/** Pure bytes-to-values for PostgreSQL: message framing and encoding, type codecs. No loop, no socket. */
package io.eventide.pg.internal.codec;
