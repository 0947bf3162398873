/**
 * Eventide's PostgreSQL client: the v3 wire protocol on the event loop, pipelined and pooled
 * ({@link io.eventide.pg.PgClient} is the front door). Depends on eventide-core only.
 */
module io.eventide.pg {
    requires transitive io.eventide.core;

    exports io.eventide.pg;
    // io.eventide.pg.internal and .internal.codec are not exported: nothing outside needs them.
}
