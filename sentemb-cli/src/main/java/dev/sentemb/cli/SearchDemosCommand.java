package dev.sentemb.cli;

import dev.sentemb.embed.EmbedResult;
import dev.sentemb.embed.Encoder;
import dev.sentemb.embed.ModelStore;
import dev.sentemb.strategy.Pooling;
import dev.sentemb.embed.Similarity;
import dev.sentemb.eval.Correlation;
import dev.sentemb.eval.DataFormatException;
import dev.sentemb.eval.run.ResumedWork;
import dev.sentemb.eval.search.DemoSearch;
import dev.sentemb.eval.search.DemoStore;
import dev.sentemb.eval.search.ScoreLog;
import dev.sentemb.eval.sts.StsData;
import dev.sentemb.eval.sts.StsPair;
import dev.sentemb.prompt.Templates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "search-demos", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Find the in-context demonstration with the best STS-B dev Spearman for a model (successive halving by default).",
                "Every score is logged as it is found, so an interrupted search resumes; the winner is stored for --template icl:best."})
final class SearchDemosCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, defaultValue = dev.sentemb.embed.ModelRegistry.DEFAULT_MODEL, paramLabel = "NAME|PATH")
    String model;

    @Option(names = "--adapter", paramLabel = "DIR", description = "A PEFT LoRA adapter directory to apply to the model.")
    java.nio.file.Path adapter;

    @Option(names = "--candidates", paramLabel = "FILE", description = "One template a line. Default: ../shared/data/icl_examples.txt beside the repository.")
    Path candidates;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N candidates.")
    Integer limit;

    @Option(names = "--budget", defaultValue = "50", paramLabel = "PAIRS",
            description = "Dev pairs every candidate is first scored on; survivors get eta times more each round. Default: ${DEFAULT-VALUE}.")
    int budget;

    @Option(names = "--eta", defaultValue = "3", paramLabel = "N", description = "Keep the best 1/eta each round. Default: ${DEFAULT-VALUE}.")
    int eta;

    @Option(names = "--exhaustive", description = "Score every candidate on all of STS-B dev.")
    boolean exhaustive;

    @Option(names = "--pooling", defaultValue = "last", paramLabel = "last|mean")
    String pooling;

    @Option(names = "--data", paramLabel = "DIR", description = "SentEval's data/downstream folder.")
    Path data;

    @Option(names = "--log", paramLabel = "FILE.tsv", description = "The resumable score log. Default: $SENTEMB_HOME/demos/<model>.search.tsv")
    Path log;

    @Option(names = "--output", paramLabel = "FILE.tsv", description = "Write the ranking (rank, spearman, pairs, template).")
    Path output;

    @Option(names = "--threads", paramLabel = "N")
    Integer threads;

    @Option(names = "--no-store", description = "Do not store the winner for --template icl:best.")
    boolean noStore;

    @Override
    public Integer call() throws Exception {
        Path dir = DataDir.resolve(data);
        List<StsPair> dev = StsData.load(dir, "STSBenchmark-dev").subsets().get(0).pairs();
        List<String> cands = readCandidates();
        Path home = ModelStore.standard().home();
        Path logFile = log != null ? log : home.resolve("demos").resolve(DemoStore.fileFor(home, model).getFileName().toString().replace(".json", "")
                + (exhaustive ? ".exhaustive.tsv" : ".search.tsv"));
        ScoreLog scores = ScoreLog.open(logFile);
        if (scores.size() > 0) {
            System.err.printf("sentemb: resuming with %d scores from %s%n", scores.size(), logFile);
        }
        long t0 = System.nanoTime();
        int first = exhaustive ? dev.size() : budget;
        List<DemoSearch.Round> rounds = DemoSearch.schedule(cands.size(), dev.size(), first, eta);
        System.err.println("sentemb: rounds (candidates × pairs): " + rounds.stream().map(r -> r.candidates() + "×" + r.pairs()).toList());
        List<DemoSearch.Ranked> ranking;
        try (ProgressBar bar = Progress.bar("search", rounds.stream().mapToLong(r -> r.candidates()).sum(), "scores")) {
            ranking = DemoSearch.run(cands, dev, first, eta, 1111, (t, pairs) -> {
                double s = score(t, pairs);
                if (bar != null) {
                    bar.step();
                }
                return s;
            }, scores, scores);
        } finally {
            if (base != null) {
                base.close();
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ranking.size(); i++) {
            DemoSearch.Ranked r = ranking.get(i);
            sb.append(String.format(Locale.ROOT, "%d\t%.2f\t%d\t%s%n", i + 1, r.spearman(), r.pairs(), r.template()));
        }
        EvalCommand.write(output, sb.toString());
        System.out.print(sb.toString().lines().limit(10).map(l -> l + "\n").reduce("", String::concat));
        DemoSearch.Ranked best = ranking.get(0);
        ResumedWork resumed = scores.resumed();
        double total = wall + (resumed == null ? 0 : resumed.seconds());
        String earlier = resumed == null ? "" : String.format(Locale.ROOT, "; %d scores and %.0f s of it from earlier runs%s", resumed.count(),
                resumed.seconds(), resumed.untimed() > 0 ? ", " + resumed.untimed() + " of those untimed" : "");
        System.out.printf(Locale.ROOT, "best (STS-B dev Spearman %.2f on %d pairs, %.0f s%s):%n%s%n", best.spearman(), best.pairs(), total, earlier,
                best.template());
        if (!noStore) {
            DemoStore.save(home, model, ranking, total, resumed);
            System.err.println("sentemb: stored as --template icl:best for " + model + " in " + DemoStore.fileFor(home, model));
        }
        return ExitCodes.OK;
    }

    private final Map<String, Map<String, float[]>> cache = new HashMap<>();
    /** The model, loaded once; each candidate is a template view of it. */
    private Encoder base;

    private Encoder base() {
        if (base == null) {
            Encoder.Builder b = Encoder.builder(model).pooling(Pooling.parse(pooling)).fetchProgress(Progress.forFetch(model)).adapter(adapter);
            if (threads != null) {
                b.threads(threads);
            }
            base = b.build();
        }
        return base;
    }

    /** Spearman ×100 of cosine vs gold; a survivor's embeddings from earlier rounds are reused. */
    private double score(String template, List<StsPair> pairs) {
        Map<String, float[]> have = cache.computeIfAbsent(template, k -> new HashMap<>());
        LinkedHashSet<String> need = new LinkedHashSet<>();
        for (StsPair p : pairs) {
            for (String s : List.of(p.a(), p.b())) {
                if (!have.containsKey(s)) {
                    need.add(s);
                }
            }
        }
        if (!need.isEmpty()) {
            try (Encoder enc = base().withTemplate(Templates.resolve(template))) {
                List<String> todo = new ArrayList<>(need);
                List<EmbedResult> rs = enc.embedEach(todo, null);
                for (int i = 0; i < todo.size(); i++) {
                    if (!rs.get(i).isOk()) {
                        throw new IllegalStateException("cannot embed '" + todo.get(i) + "': " + rs.get(i).error());
                    }
                    have.put(todo.get(i), rs.get(i).vector());
                }
            }
        }
        double[] sys = new double[pairs.size()];
        double[] gold = new double[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            sys[i] = Similarity.cosine(have.get(pairs.get(i).a()), have.get(pairs.get(i).b()));
            gold[i] = pairs.get(i).gold();
        }
        return 100 * Correlation.spearman(sys, gold);
    }

    private List<String> readCandidates() throws IOException {
        Path f = candidates;
        if (f == null) {
            f = DataDir.resolve(null).getParent().resolve("icl_examples.txt");
        }
        if (!Files.isRegularFile(f)) {
            throw new DataFormatException(f, 0, "candidate file not found");
        }
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).strip();
            if (t.isEmpty()) {
                continue;
            }
            if (!t.contains("*sent_0*")) {
                throw new DataFormatException(f, i + 1, "a candidate template must contain *sent_0*");
            }
            out.add(t);
        }
        if (limit != null) {
            out = out.subList(0, Math.min(limit, out.size()));
        }
        if (out.isEmpty()) {
            throw new DataFormatException(f, 0, "no candidate templates");
        }
        return out;
    }
}
