import com.sun.tools.attach.VirtualMachine;

/**
 * Loads a native agent into a running JVM: {@code java Attach.java <pid> <library> <options>}. Used by
 * bench/http/profile.sh to start and stop async-profiler around the measured window only
 * ({@code jcmd JVMTI.agent_load} cannot pass async-profiler's {@code key=value} options).
 */
public class Attach {
    public static void main(String[] args) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            vm.loadAgentPath(args[1], args[2]);
        } finally {
            vm.detach();
        }
    }
}
