/**
 * Service-provider interfaces for transports plugged into an {@link io.eventide.core.EventLoop}.
 */
package io.eventide.core.spi;
