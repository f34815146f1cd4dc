package dev.sentemb.cli;

/** Process exit codes, listed in {@code sentemb --help}. */
final class ExitCodes {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int SKIPPED_LINES = 3;


    private ExitCodes() {}
}
