/**
 * {@code eventide cluster}: one small supervisor process that starts, watches, restarts and reloads
 * worker JVMs sharing a port ({@link io.eventide.cluster.Cluster} is the entry point). It depends on
 * the JDK alone, so it keeps running when an app's libraries misbehave; its internals
 * ({@code io.eventide.cluster.internal}) are not exported.
 */
module io.eventide.cluster {
    requires jdk.unsupported; // sun.misc.Signal for SIGTERM, SIGINT and SIGHUP (internal.Signals)

    exports io.eventide.cluster;
}
