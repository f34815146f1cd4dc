package dev.sentemb.weights;

import java.nio.file.Path;

/**
 * A PyTorch checkpoint's pickle asks for a callable or opcode outside the allow-list of a plain
 * state dict (for example {@code os.system} or {@code builtins.eval}). Nothing from it was run.
 */
public class UnsafePickleException extends CheckpointFormatException {
    private final String global;

    public UnsafePickleException(Path path, long offset, String global, String problem) {
        super(path, offset, problem + "; refusing to load (pickle code is never executed)");
        this.global = global;
    }

    /** The refused global ("module.name") or opcode name. */
    public String global() {
        return global;
    }
}
