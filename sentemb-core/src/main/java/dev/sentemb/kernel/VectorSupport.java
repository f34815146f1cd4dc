package dev.sentemb.kernel;

import dev.sentemb.SentembException;

/**
 * The kernels need the JDK's incubating Vector API, which a JVM resolves only when started with
 * {@code --add-modules jdk.incubator.vector}. Without it the first kernel call would die with a
 * {@code NoClassDefFoundError} after the model had loaded; this check fails before anything loads, in
 * one line that names the flag.
 */
public final class VectorSupport {
    static final String MODULE = "jdk.incubator.vector";

    private VectorSupport() {}

    /** Whether this JVM resolved the Vector API module. */
    public static boolean available() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    /** @throws SentembException naming the missing JVM flag */
    public static void require() {
        if (!available()) {
            throw new SentembException("sentemb needs the JDK's Vector API, which this JVM was started without: add the JVM option "
                    + "--add-modules " + MODULE + " (JDK 25; see \"In your own JVM\" in the README)");
        }
    }
}
