package dev.sentemb.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sentemb.strategy.EmbeddingStrategy;
import dev.sentemb.strategy.EnsembleStrategy;
import dev.sentemb.tokenizer.Tokenizer;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "tokenize", mixinStandardHelpOptions = true, sortOptions = false,
        exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {
            ExitCodes.HELP_OK, ExitCodes.HELP_FAILED, ExitCodes.HELP_USAGE, ExitCodes.HELP_SKIPPED},
        description = "Print the token ids of each sentence's prompt: one {\"text\": ..., \"ids\": [...]} JSON line a sentence (an ensemble strategy such as metaeol: one id list per prompt).")
final class TokenizeCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE|-", description = "Input file, or - for standard input.")
    String input;

    @Option(names = "--input-format", defaultValue = "auto", paramLabel = "auto|text|jsonl", description = "As for embed. Default: ${DEFAULT-VALUE}.")
    String inputFormat;

    @Option(names = "--raw", description = "Tokenize the sentence as given, without the template.")
    boolean raw;

    @Override
    public Integer call() throws Exception {
        long skipped = 0;
        Tokenizer tok = model.tokenizer();
        EmbeddingStrategy strategy = model.strategy().forTokenizer(tok);
        try (InputReader reader = InputReader.open(input, inputFormat);
             OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
             JsonGenerator gen = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            gen.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            gen.setRootValueSeparator(null);
            List<InputLine> chunk;
            while (!(chunk = reader.next(4096)).isEmpty()) {
                for (InputLine line : chunk) {
                    if (!line.ok()) {
                        System.err.println("sentemb: skipped " + line.error());
                        skipped++;
                        continue;
                    }
                    gen.writeStartObject();
                    gen.writeStringField("text", line.text());
                    gen.writeFieldName("ids");
                    if (!raw && strategy instanceof EnsembleStrategy e) { // one id list per prompt
                        gen.writeStartArray();
                        for (EmbeddingStrategy part : e.parts()) {
                            int[] ids = part.tokens(part.prompt(line.text()), tok);
                            gen.writeArray(ids, 0, ids.length);
                        }
                        gen.writeEndArray();
                    } else {
                        int[] ids = raw ? tok.encode(line.text()) : strategy.tokens(strategy.prompt(line.text()), tok);
                        gen.writeArray(ids, 0, ids.length);
                    }
                    gen.writeEndObject();
                    gen.flush();
                    out.write('\n');
                }
            }
        }
        return skipped > 0 ? ExitCodes.SKIPPED_LINES : ExitCodes.OK;
    }
}
