/**
 * The shop: a microservices example of three Eventide apps, each its own process.
 *
 * <pre>
 *   client ──HTTP──► {@link io.eventide.example.shop.Gateway} :8080 ──HTTP (timeout, breaker, bulkhead)──► {@link io.eventide.example.shop.Catalog} :8081 ──► PostgreSQL
 *                      │                                                                              (products)
 *                      └──bus: send "shop.orders" over RabbitMQ──► {@link io.eventide.example.shop.Orders} :8082 ──► PostgreSQL (orders)
 * </pre>
 *
 * <p>Every hop carries a W3C {@code traceparent} ({@link io.eventide.http.TraceContext}): an HTTP
 * header on the client calls, a message header on the bus. Each service logs every request and
 * message with its trace id, its own span id and its parent's ({@link io.eventide.example.shop.Tracing}),
 * so one request can be followed through the three logs. See {@code examples/shop/README.md}.
 */
package io.eventide.example.shop;
