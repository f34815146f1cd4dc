package dev.sentemb.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sentemb.embed.EmbedResult;
import dev.sentemb.embed.Encoder;
import dev.sentemb.embed.KnownModel;
import dev.sentemb.embed.ModelRegistry;
import dev.sentemb.embed.Pooling;
import dev.sentemb.eval.TaskNames;
import dev.sentemb.eval.sts.StsData;
import dev.sentemb.eval.sts.StsEvaluator;
import dev.sentemb.eval.sts.StsResult;
import dev.sentemb.eval.sts.StsTable;
import dev.sentemb.eval.sts.StsTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", sortOptions = false,
        description = "Score a model on SentEval's STS tasks exactly as the reference does (Spearman ×100 of cosine vs gold).")
final class EvalCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--pooling", defaultValue = "last", paramLabel = "last|mean", description = "Default: ${DEFAULT-VALUE}.")
    String pooling;

    @Option(names = "--tasks", defaultValue = "sts", paramLabel = "LIST",
            description = "sts (STS12-16, STSBenchmark, SICKRelatedness), stsb-dev, or SentEval task names, comma-separated. Default: ${DEFAULT-VALUE}.")
    String tasks;

    @Option(names = "--data", paramLabel = "DIR", description = "SentEval's data/downstream folder. Default: $SENTEMB_DATA, else ../shared/data/senteval beside the repository.")
    Path data;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the results as JSON.")
    Path output;

    @Override
    public Integer call() throws Exception {
        List<String> names = TaskNames.expand(tasks);
        Path dir = dataDir();
        List<StsTask> loaded = new ArrayList<>();
        for (String n : names) {
            loaded.add(StsData.load(dir, n));
        }
        long t0 = System.nanoTime();
        List<StsResult> results;
        String modelFile;
        try (Encoder enc = model.encoder().pooling(Pooling.parse(pooling)).build()) {
            results = new StsEvaluator(sentences -> embedAll(enc, sentences)).evaluate(loaded);
            modelFile = enc.file().path().toString();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        System.out.print(StsTable.markdown(model.model + " " + model.template, results));
        System.out.printf("(%d pairs in %d tasks, %.1f s)%n", results.stream().mapToInt(StsResult::pairs).sum(), results.size(), wall);
        if (output != null) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", model.model);
            json.put("model_file", modelFile);
            json.put("model_sha256", ModelRegistry.find(model.model).map(KnownModel::sha256).orElse(null));
            json.put("template", model.template);
            json.put("pooling", pooling);
            json.put("data", dir.toString());
            json.put("date", Instant.now().toString());
            json.put("wall_seconds", wall);
            json.put("java", System.getProperty("java.version"));
            Map<String, Object> byTask = new LinkedHashMap<>();
            for (StsResult r : results) {
                byTask.put(r.task(), r);
            }
            json.put("tasks", byTask);
            StsTable.average(results).ifPresent(a -> json.put("sts_avg", a));
            Path tmp = OutputFiles.temporaryFor(output);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), json);
            OutputFiles.moveIntoPlace(tmp, output);
        }
        return ExitCodes.OK;
    }

    private Path dataDir() {
        if (data != null) {
            return data;
        }
        String env = System.getenv("SENTEMB_DATA");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String root = System.getProperty("sentemb.root");
        Path base = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
        Path p = base.resolveSibling("shared").resolve("data").resolve("senteval");
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException("no SentEval data at " + p + "; pass --data DIR or set SENTEMB_DATA");
        }
        return p;
    }

    private static Map<String, float[]> embedAll(Encoder enc, List<String> sentences) {
        Map<String, float[]> out = new HashMap<>(sentences.size() * 2);
        try (ProgressBar bar = Progress.bar("embed", sentences.size(), "sentences")) {
            int chunk = 1024;
            for (int at = 0; at < sentences.size(); at += chunk) {
                List<String> part = sentences.subList(at, Math.min(sentences.size(), at + chunk));
                long base = at;
                List<EmbedResult> rs = enc.embedEach(part, bar == null ? null : d -> bar.stepTo(base + d));
                for (int i = 0; i < part.size(); i++) {
                    if (!rs.get(i).isOk()) {
                        throw new IllegalStateException("cannot embed '" + part.get(i) + "': " + rs.get(i).error());
                    }
                    out.put(part.get(i), rs.get(i).vector());
                }
            }
        }
        return out;
    }
}
