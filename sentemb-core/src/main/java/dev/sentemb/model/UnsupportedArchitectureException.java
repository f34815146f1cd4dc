package dev.sentemb.model;

import java.util.List;

/** The file's {@code general.architecture} (or one of its options) is not one this engine runs. */
public class UnsupportedArchitectureException extends ModelFormatException {
    private final String architecture;

    public UnsupportedArchitectureException(String architecture, List<String> supported) {
        super("unsupported architecture '" + capped(architecture) + "'; supported: " + String.join(", ", supported));
        this.architecture = architecture;
    }

    /** @param where the file and key that name the architecture */
    public UnsupportedArchitectureException(String where, String architecture, List<String> supported) {
        super(where + " is '" + capped(architecture) + "', an architecture sentemb does not run; supported: " + String.join(", ", supported));
        this.architecture = architecture;
    }

    public String architecture() {
        return architecture;
    }
}
