package dev.sentemb.cli;

import dev.sentemb.embed.EmbedResult;
import dev.sentemb.embed.Encoder;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "embed", mixinStandardHelpOptions = true, sortOptions = false,
        exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {
            ExitCodes.HELP_OK, ExitCodes.HELP_FAILED, ExitCodes.HELP_USAGE, ExitCodes.HELP_SKIPPED},
        description = {"Embed sentences, one a line (UTF-8 text, or JSONL with a \"text\" field), into JSONL "
                + "({\"text\": ..., \"embedding\": [...]} a line, in input order) or a .npy array.",
                "An unreadable line is reported with its line number and skipped (see --strict); N valid lines in give N out."})
final class EmbedCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Mixin
    OutputOptions outputs;

    @Option(names = "--normalize", description = "Scale each embedding to unit length.")
    boolean normalize;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE|-", description = "Input file, or - for standard input.")
    String input;

    @Option(names = "--input-format", defaultValue = "auto", paramLabel = "auto|text|jsonl",
            description = "auto: JSONL for *.jsonl / *.ndjson, else text. Default: ${DEFAULT-VALUE}.")
    String inputFormat;

    @Option(names = {"-o", "--output"}, defaultValue = "-", paramLabel = "FILE|-",
            description = "Output: JSONL ({\"line\": N, \"text\": ..., \"embedding\": [...]}), or a NumPy array (float32, rows in input "
                    + "order) when FILE ends in .npy, with NAME.lines.npy beside it (int64: each row's input line). Default: standard output.")
    String output;

    @Option(names = "--strict", description = "Stop with exit code 1 at the first unreadable line or sentence that cannot be embedded, writing nothing.")
    boolean strict;

    @Option(names = "--batch-tokens", defaultValue = "1024", paramLabel = "N", description = "Tokens per packed forward pass. Default: ${DEFAULT-VALUE}.")
    int batchTokens;

    private static final int CHUNK = 2048;

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        if (!output.equals("-")) {
            OutputFiles.checkDirectory(Path.of(output), outputs.mkdirs); // before the model loads
        }
        long total = input.equals("-") ? -1 : countLines(Path.of(input));
        long skipped = 0;
        try (InputReader reader = InputReader.open(input, inputFormat);
             Encoder enc = model.encoder().normalize(normalize).batchTokens(batchTokens).build();
             EmbeddingWriter writer = EmbeddingWriter.open(output, outputs.mkdirs);
             ProgressMeter bar = ProgressMeter.start("embed", total, "lines")) {
            List<InputLine> chunk;
            while (!(chunk = reader.next(CHUNK)).isEmpty()) {
                List<InputLine> valid = new ArrayList<>(chunk.size());
                for (InputLine line : chunk) {
                    if (line.ok()) {
                        valid.add(line);
                    } else if (strict) {
                        err.println("sentemb: " + line.error() + " (--strict: stopping, nothing written)");
                        return ExitCodes.FAILED;
                    } else {
                        err.println("sentemb: skipped " + line.error());
                        skipped++;
                    }
                }
                long base = bar.current();
                List<EmbedResult> results = enc.embedEach(valid.stream().map(InputLine::text).toList(), done -> bar.stepTo(base + done));
                for (int i = 0; i < valid.size(); i++) {
                    EmbedResult r = results.get(i);
                    InputLine line = valid.get(i);
                    if (r.isOk()) {
                        writer.write(line.number(), line.text(), r.vector());
                    } else if (strict) {
                        err.println("sentemb: " + reader.name() + ":" + line.number() + ": " + r.error() + " (--strict: stopping, nothing written)");
                        return ExitCodes.FAILED;
                    } else {
                        err.println("sentemb: skipped " + reader.name() + ":" + line.number() + ": " + r.error());
                        skipped++;
                    }
                }
                bar.stepTo(base + chunk.size());
            }
            writer.commit();
        }
        if (skipped > 0) {
            err.println("sentemb: " + skipped + " line(s) skipped");
            return ExitCodes.SKIPPED_LINES;
        }
        return ExitCodes.OK;
    }

    /** Lines in a file, for the progress bar's total (cheap next to embedding them). */
    static long countLines(Path p) {
        try (var in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            long lines = 0;
            int n;
            int last = '\n';
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        lines++;
                    }
                }
                last = buf[n - 1];
            }
            return last == '\n' ? lines : lines + 1;
        } catch (Exception e) {
            return -1; // the reader reports the real problem
        }
    }
}
