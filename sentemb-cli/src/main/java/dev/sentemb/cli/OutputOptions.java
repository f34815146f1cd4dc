package dev.sentemb.cli;

import picocli.CommandLine.Option;

/** Options shared by every command that writes files. */
final class OutputOptions {
    @Option(names = "--mkdirs", description = "Create the output file's directory when it does not exist (otherwise that is an error, as a typo usually is).")
    boolean mkdirs;
}
