package io.eventide.core.internal.epoll;

import java.io.FileDescriptor;
import java.lang.reflect.Field;
import java.nio.channels.FileChannel;

/**
 * The descriptor behind a JDK {@link FileChannel}, for {@code sendfile(2)}. The JDK keeps it in
 * private fields ({@code sun.nio.ch.FileChannelImpl.fd}, {@code java.io.FileDescriptor.fd}); they
 * are read only if the JVM opens those packages to this module ({@code --add-opens
 * java.base/sun.nio.ch=io.eventide.core --add-opens java.base/java.io=io.eventide.core}, or
 * {@code =ALL-UNNAMED} on the class path; {@code ./eventide run} passes them). Without them
 * {@link #of} answers -1 and files go out by {@code pread} and {@code write}, as before.
 *
 * <p><b>Threading:</b> stateless after class initialisation; any thread.
 */
final class FileDescriptors {
    private static final Field CHANNEL_FD;
    private static final Field DESCRIPTOR_FD;

    static {
        Field channelFd = null;
        Field descriptorFd = null;
        try {
            Field c = Class.forName("sun.nio.ch.FileChannelImpl").getDeclaredField("fd");
            Field d = FileDescriptor.class.getDeclaredField("fd");
            c.setAccessible(true);
            d.setAccessible(true);
            channelFd = c;
            descriptorFd = d;
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Not opened to us (InaccessibleObjectException) or another JDK's layout: no sendfile.
        }
        CHANNEL_FD = channelFd;
        DESCRIPTOR_FD = descriptorFd;
    }

    private FileDescriptors() {
    }

    /** @return whether descriptors can be read, so that files go out by sendfile */
    static boolean available() {
        return CHANNEL_FD != null;
    }

    /**
     * @param file an open file channel
     * @return its descriptor, or -1 if it cannot be known (not opened to this module, not the
     *     JDK's own file channel, already closed)
     */
    static int of(FileChannel file) {
        if (CHANNEL_FD == null || !CHANNEL_FD.getDeclaringClass().isInstance(file) || !file.isOpen()) {
            return -1;
        }
        try {
            Object fd = CHANNEL_FD.get(file);
            return fd instanceof FileDescriptor d ? DESCRIPTOR_FD.getInt(d) : -1;
        } catch (IllegalAccessException e) {
            return -1;
        }
    }
}
