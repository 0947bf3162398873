package io.eventide.cli;

import io.eventide.core.EventideException;
import java.io.Serial;

/**
 * A hosted app's configuration is wrong: an unknown key (the message lists the valid ones), a value
 * of the wrong kind, or an unreadable config file. The message is one line meant for the operator;
 * {@link io.eventide.Eventide#http()} prints it and exits with status 2.
 *
 * <p><b>Threading:</b> immutable; thrown on the thread that loads the configuration.
 */
public final class ConfigException extends EventideException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** @param message one line saying what is wrong and what is accepted */
    public ConfigException(String message) {
        super(message);
    }
}
