/** Internals of TLS: key material parsing and SNI certificate selection; not API. */
package io.eventide.core.tls.internal;
