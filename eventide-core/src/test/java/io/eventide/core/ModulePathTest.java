package io.eventide.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.spi.BlockedLoopListener;
import io.eventide.core.testing.BlockedReports;
import io.eventide.core.testing.BufferLeakCheck;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * How this module's tests run (issue 18 and issue 9), checked so that it cannot silently regress:
 * inside the named module {@code io.eventide.core} on the module path (the parent POM's jpms-tests
 * profile), with the test kit ({@code io.eventide.core.testing}) on the class path beside it, where
 * its service registrations count: the buffer-leak check and the watchdog's report sink (this
 * module's POM explains why the kit is kept out of the module).
 */
class ModulePathTest {
    @Test
    void testsRunInsideTheNamedModule() {
        assertThat(getClass().getModule().getName()).as("module of the test classes").isEqualTo("io.eventide.core");
        assertThat(getClass().getModule()).isSameAs(LoopGroup.class.getModule());
    }

    @Test
    void theBufferLeakCheckIsOn() {
        assertThat(BufferLeakCheck.isChecking()).as("BufferLeakCheck registered and autodetected").isTrue();
    }

    @Test
    void theWatchdogsReportSinkIsFoundByTheServiceLoader() {
        assertThat(BlockedReports.class.getModule().isNamed()).as("the kit on the class path").isFalse();
        assertThat(ServiceLoader.load(BlockedLoopListener.class).stream().map(ServiceLoader.Provider::type))
                .contains(BlockedReports.class);
    }
}
