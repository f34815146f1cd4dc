package dev.sentemb.model;

import java.util.List;

/** The file's {@code general.architecture} (or one of its options) is not one this engine runs. */
public class UnsupportedArchitectureException extends ModelFormatException {
    private final String architecture;

    public UnsupportedArchitectureException(String architecture, List<String> supported) {
        super("unsupported architecture '" + architecture + "'; supported: " + String.join(", ", supported));
        this.architecture = architecture;
    }

    public String architecture() {
        return architecture;
    }
}
