/**
 * The HTTP/1.1 codec: pure bytes to messages and back, with no loop, socket or thread, shared by
 * the server and client connections.
 *
 * <pre>
 *  bytes ──&gt; Http1RequestParser ──&gt; HttpRequestHead (framing derived, fields decoded lazily)
 *    body, chunked         ──&gt; ChunkedDecoder       ──&gt; data views of the input, trailers
 *    body, Content-Length  ──&gt; ContentLengthDecoder ──&gt; data views of the input
 *  status, fields ──&gt; Http1ResponseEncoder (+ DateCache per loop) ──&gt; bytes
 * </pre>
 *
 * <p>Parsers are strict where a lenient reading could let two implementations frame one message
 * differently (request smuggling), and allocate nothing until a head is complete.
 * {@link io.eventide.http.internal.codec.Http1Limits} holds every size limit.
 */
package io.eventide.http.internal.codec;
