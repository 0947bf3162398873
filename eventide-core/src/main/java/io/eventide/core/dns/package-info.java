/**
 * Name resolution without blocking a loop: the {@link io.eventide.core.dns.Resolver} seam every
 * client connects through; {@link io.eventide.core.dns.DnsResolver}, which reads
 * {@code /etc/hosts} and {@code /etc/resolv.conf} and queries DNS over UDP (TCP when truncated) on
 * the loop with a TTL cache; and {@link io.eventide.core.dns.JdkResolver}, the JDK's resolver on a
 * small pool of its own.
 */
package io.eventide.core.dns;
