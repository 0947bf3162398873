/**
 * The lab's own load drivers, for what wrk cannot do: {@link io.eventide.lab.driver.OpenModelDriver}
 * sends at a constant arrival rate and measures each request from the moment it was due, so a
 * stalled server cannot slow the client down and flatter itself (coordinated omission);
 * {@link io.eventide.lab.driver.IdleDriver} holds thousands of idle keep-alive connections open.
 * {@link io.eventide.lab.driver.DriverMain} runs either in its own process, pinned to the load cores.
 */
package io.eventide.lab.driver;
