package io.eventide.core.testing;

import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a test needs to start a child JVM that sees everything the test sees. The tests run on the
 * module path (issue 18): {@code java.class.path} then holds only the test classes and their
 * libraries, while the module under test and what it requires are on {@code jdk.module.path}. The
 * child gets both on its class path, the way {@code ./eventide run} runs apps.
 *
 * <p><b>Threading:</b> any thread; it only reads system properties.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** @return the {@code java} launcher of the JDK this JVM runs on */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** @return this JVM's class path followed by its module path, without duplicates */
    public static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String property : new String[] {"java.class.path", "jdk.module.path"}) {
            String value = System.getProperty(property);
            if (value != null) {
                for (String e : value.split(File.pathSeparator)) {
                    if (!e.isBlank()) {
                        entries.add(e);
                    }
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
