package dev.sentemb.cli;

import dev.sentemb.embed.Encoder;
import dev.sentemb.embed.Similarity;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "demo", mixinStandardHelpOptions = true, description = "Embed a few sample sentences and print their cosine-similarity matrix.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    static final List<String> SAMPLES = List.of(
            "A man is playing a guitar.",
            "Someone is playing music on a guitar.",
            "A woman is slicing an onion.",
            "A person is cutting vegetables in the kitchen.",
            "The stock market fell sharply today.");

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        try (Encoder enc = model.encoder().build()) {
            long t1 = System.nanoTime();
            float[][] v = enc.embed(SAMPLES);
            long t2 = System.nanoTime();
            System.out.printf("model %s (%d dimensions), %s%n", model.model, enc.dimension(),
                    enc.strategy() instanceof dev.sentemb.strategy.PromptEolStrategy p ? "template " + p.template() : enc.strategy().describe());
            System.out.printf("prompt of the first sentence: %s%n%n", enc.prompt(SAMPLES.get(0)));
            double[][] m = Similarity.cosineMatrix(v);
            for (int i = 0; i < SAMPLES.size(); i++) {
                System.out.printf("[%d] %s%n", i, SAMPLES.get(i));
            }
            System.out.print("\ncosine ");
            for (int j = 0; j < SAMPLES.size(); j++) {
                System.out.printf("%7s", "[" + j + "]");
            }
            System.out.println();
            for (int i = 0; i < SAMPLES.size(); i++) {
                System.out.printf("%6s ", "[" + i + "]");
                for (int j = 0; j < SAMPLES.size(); j++) {
                    System.out.printf("%7.3f", m[i][j]);
                }
                System.out.println();
            }
            System.out.printf("%nloaded in %.2f s, embedded %d sentences in %.2f s%n", (t1 - t0) / 1e9, SAMPLES.size(), (t2 - t1) / 1e9);
        }
        return ExitCodes.OK;
    }
}
