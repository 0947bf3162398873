/**
 * {@code eventide cluster}: {@link io.eventide.cluster.Cluster} starts N worker processes of a hosted
 * app sharing one port (an SO_REUSEPORT listener per worker), restarts those that die, replaces them
 * one by one on reload, and answers {@code status}, {@code reload} and {@code stop} on a Unix domain
 * socket. JDK only.
 */
package io.eventide.cluster;
