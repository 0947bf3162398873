/** Hosting: {@link io.eventide.cli.Host} runs an app like {@code node app.js}, with health, metrics and drain. */
package io.eventide.cli;
