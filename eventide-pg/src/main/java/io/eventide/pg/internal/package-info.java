/** Internals of the PostgreSQL client: connection state machine, commands, pool, authentication. */
package io.eventide.pg.internal;
