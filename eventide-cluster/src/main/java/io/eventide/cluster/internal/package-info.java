/** The supervisor's internals: workers, slots, the control socket, logs, status. Not API. */
package io.eventide.cluster.internal;
