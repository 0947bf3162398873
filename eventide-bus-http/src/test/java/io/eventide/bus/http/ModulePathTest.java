package io.eventide.bus.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.testing.BufferLeakCheck;
import org.junit.jupiter.api.Test;

/**
 * How this module's tests run, checked so that it cannot silently regress: inside the named module
 * {@code io.eventide.bus.http} on the module path (issue 18; the parent POM's jpms-tests profile), and under the
 * buffer-leak check (issue 9; {@code META-INF/services} and {@code junit-platform.properties} in
 * the test resources).
 */
class ModulePathTest {
    @Test
    void testsRunInsideTheNamedModule() {
        assertThat(getClass().getModule().getName()).as("module of the test classes").isEqualTo("io.eventide.bus.http");
        assertThat(getClass().getModule()).isSameAs(BusTopic.class.getModule());
    }

    @Test
    void theBufferLeakCheckIsOn() {
        assertThat(BufferLeakCheck.isChecking()).as("BufferLeakCheck registered and autodetected").isTrue();
    }
}
