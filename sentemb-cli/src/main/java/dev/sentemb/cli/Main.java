package dev.sentemb.cli;

import dev.sentemb.SentembException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of bin/sentemb. */
@Command(name = "sentemb", mixinStandardHelpOptions = true, version = "sentemb 0.1.0",
        description = "PromptEOL sentence embeddings from decoder-only LLMs (Jiang et al., 2024), in Java.",
        subcommands = {EmbedCommand.class, TokenizeCommand.class, InfoCommand.class, EvalCommand.class, CompareCommand.class, SearchDemosCommand.class, TrainCommand.class, ServeCommand.class, LoadCommand.class, ReportCommand.class, DemoCommand.class, BenchCommand.class,
                dev.sentemb.spark.SparkEmbedCommand.class,
                FetchCommand.class, ModelsCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {
            ExitCodes.HELP_OK, ExitCodes.HELP_FAILED, ExitCodes.HELP_USAGE, ExitCodes.HELP_SKIPPED})
public final class Main implements Runnable {
    @picocli.CommandLine.Option(names = "--debug", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "On an error, print the Java stack trace too (for a bug report).")
    static boolean debug;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        debug = false;
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (debug) {
                e.printStackTrace(cmd.getErr());
            }
            if (e instanceof SentembException || e instanceof java.io.IOException || e instanceof IllegalArgumentException) {
                cmd.getErr().println("sentemb: " + e.getMessage());
                return ExitCodes.FAILED;
            }
            // not one of ours: still one line (a bug in sentemb, or an input nothing checked); --debug shows where
            cmd.getErr().println("sentemb: internal error: " + e + (debug ? "" : " (run again with --debug for the stack trace)"));
            return ExitCodes.FAILED;
        });
        return cl.execute(args);
    }
}
