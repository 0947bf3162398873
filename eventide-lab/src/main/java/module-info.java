/**
 * The lab ({@code ./eventide bench}): Eventide measured side by side with Jetty, Helidon, Vert.x
 * and Node, each server model started as its own process on the class path; the drivers, the
 * campaign and the report. A tool, not a library: it exports nothing.
 */
module io.eventide.lab {
    requires io.eventide.demo;
    requires com.fasterxml.jackson.databind;
    requires java.management; // the server's heap, reported on the control channel
    requires java.sql; // the thread-model servers' JDBC
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.ee10.servlet;
    requires io.helidon.webserver;
    requires io.vertx.core;

    // Jackson writes the drivers' results and the report's records.
    opens io.eventide.lab.driver to com.fasterxml.jackson.databind;
    opens io.eventide.lab.report to com.fasterxml.jackson.databind;
}
