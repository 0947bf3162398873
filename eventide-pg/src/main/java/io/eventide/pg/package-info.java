/**
 * A PostgreSQL client on Eventide's loops, speaking the v3 wire protocol itself (no JDBC, no thread
 * per connection). {@link io.eventide.pg.PgClient} is the front door: a bounded pool per loop,
 * statements pipelined, prepared statements cached per connection, every result a promise completed
 * on the caller's loop. {@link io.eventide.pg.PgOptions} configures it (or a {@code postgresql://}
 * URI, or the libpq environment variables); {@link io.eventide.pg.RowSet} and
 * {@link io.eventide.pg.Row} hold results; {@link io.eventide.pg.PgSession} pins one connection for a
 * transaction; {@link io.eventide.pg.PgRowStream}, {@link io.eventide.pg.PgCopyIn} and
 * {@link io.eventide.pg.PgCopyOut} stream rows with backpressure;
 * {@link io.eventide.pg.PgSubscription} delivers LISTEN/NOTIFY.
 *
 * <p><b>Threading:</b> call a client from a loop of the group it was created on (each loop uses its
 * own pool); results and streams call back on that loop. Each type's javadoc says more.
 */
package io.eventide.pg;
