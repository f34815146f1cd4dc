package dev.sentemb.cli;

/** Process exit codes, listed in {@code sentemb --help}. */
final class ExitCodes {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int SKIPPED_LINES = 3;

    // Help lines; constants so that every command's @Command can list them.
    static final String HEADING = "%nExit codes:%n";
    static final String HELP_OK = "0:success: every input line was processed";
    static final String HELP_FAILED = "1:failure: model, input or output error, or a bad line with --strict (no output file is written)";
    static final String HELP_USAGE = "2:usage error: unknown option or missing argument";
    static final String HELP_SKIPPED = "3:finished, but some lines were skipped (each reported on stderr with its line number)";


    private ExitCodes() {}
}
