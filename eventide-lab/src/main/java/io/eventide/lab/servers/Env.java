package io.eventide.lab.servers;

/**
 * The lab's server processes are told their port and loop count through the environment by the
 * lab's own launcher ({@code ServerProcess}).
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class Env {
    private Env() {
    }

    /**
     * @param name environment variable
     * @param dflt the value when unset
     * @return its integer value
     */
    public static int get(String name, int dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : Integer.parseInt(v.trim());
    }
}
