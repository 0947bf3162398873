/**
 * The parts of {@link io.eventide.http.Multipart}: the incremental
 * {@link io.eventide.http.internal.multipart.MultipartParser} (pure, no loop, no I/O), and the
 * session that wires it to a request's body stream and to disk through workers. Not an API:
 * exported to nothing outside {@code eventide-http}.
 */
package io.eventide.http.internal.multipart;
