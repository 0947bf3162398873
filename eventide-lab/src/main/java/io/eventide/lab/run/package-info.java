/**
 * The orchestrator's parts: the machine and tools it finds ({@link io.eventide.lab.run.Environment}),
 * the serving models it starts ({@link io.eventide.lab.run.ServerModel},
 * {@link io.eventide.lab.run.ServerProcess}), the load it applies ({@link io.eventide.lab.run.Wrk},
 * {@link io.eventide.lab.run.DriverProcess}), the workloads ({@link io.eventide.lab.run.Campaign})
 * and the progress bar.
 */
package io.eventide.lab.run;
