package dev.sentemb.cli;

import dev.sentemb.embed.Encoder;
import dev.sentemb.load.ModelStore;
import dev.sentemb.eval.run.ResumedWork;
import dev.sentemb.eval.run.WeightsIdentity;
import dev.sentemb.eval.search.Candidates;
import dev.sentemb.eval.search.DemoScorer;
import dev.sentemb.eval.search.DemoSearch;
import dev.sentemb.eval.search.DemoStore;
import dev.sentemb.eval.search.ScoreLog;
import dev.sentemb.eval.sts.StsData;
import dev.sentemb.eval.sts.StsPair;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "search-demos", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Find the in-context demonstration with the best STS-B dev Spearman for a model (successive halving by default).",
                "Every score is logged as it is found, so an interrupted search resumes; the winner is stored for --template icl:best."})
final class SearchDemosCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

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

    @Option(names = "--data", paramLabel = "DIR", description = "SentEval's data/downstream folder.")
    Path data;

    @Option(names = "--log", paramLabel = "FILE.tsv", description = "The resumable score log. Default: $SENTEMB_HOME/demos/<model>.search.tsv")
    Path log;

    @Mixin
    OutputOptions outputs;

    @Option(names = "--output", paramLabel = "FILE.tsv", description = "Write the ranking (rank, spearman, pairs, template).")
    Path output;

    @Option(names = "--no-store", description = "Do not store the winner for --template icl:best.")
    boolean noStore;

    @Override
    public Integer call() throws Exception {
        OutputFiles.checkDirectories(outputs.mkdirs, output);
        if (!"eol".equals(model.template()) || model.strategy != null || model.templates != null) {
            throw new IllegalArgumentException("search-demos scores the candidates' templates (--candidates FILE); --template, --templates "
                    + "and --strategy do not apply to it");
        }
        String model = this.model.model;
        Path dir = DataDir.resolve(data);
        List<StsPair> dev = StsData.load(dir, "STSBenchmark-dev").subsets().get(0).pairs();
        List<String> cands = Candidates.read(candidates != null ? candidates : DataDir.resolve(null).getParent().resolve("icl_examples.txt"), limit);
        Path home = ModelStore.standard().home();
        // an adapter or --q8 changes every score: such a search keeps its own log and is not stored as the model's icl:best
        String weights = WeightsIdentity.tag(this.model.spec());
        Path logFile = log != null ? log : home.resolve("demos").resolve(DemoStore.fileFor(home, model).getFileName().toString().replace(".json", "")
                + weights + (exhaustive ? ".exhaustive.tsv" : ".search.tsv"));
        ScoreLog scores = ScoreLog.open(logFile);
        if (scores.size() > 0) {
            System.err.printf("sentemb: resuming with %d scores from %s%n", scores.size(), logFile);
        }
        long t0 = System.nanoTime();
        int first = exhaustive ? dev.size() : budget;
        List<DemoSearch.Round> rounds = DemoSearch.schedule(cands.size(), dev.size(), first, eta);
        System.err.println("sentemb: rounds (candidates × pairs): " + rounds.stream().map(r -> r.candidates() + "×" + r.pairs()).toList());
        List<DemoSearch.Ranked> ranking;
        // the model is loaded on the first score a resumed log does not already hold
        Encoder[] base = new Encoder[1];
        try (ProgressMeter bar = ProgressMeter.start("search", rounds.stream().mapToLong(r -> r.candidates()).sum(), "scores")) {
            DemoScorer[] scorer = new DemoScorer[1];
            ranking = DemoSearch.run(cands, dev, first, eta, 1111, (t, pairs) -> {
                if (scorer[0] == null) {
                    base[0] = this.model.encoder().template("eol").build();
                    scorer[0] = new DemoScorer(base[0]);
                }
                double s = scorer[0].score(t, pairs);
                bar.step();
                return s;
            }, scores, scores);
        } finally {
            if (base[0] != null) {
                base[0].close();
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ranking.size(); i++) {
            DemoSearch.Ranked r = ranking.get(i);
            sb.append(String.format(Locale.ROOT, "%d\t%.2f\t%d\t%s%n", i + 1, r.spearman(), r.pairs(), r.template()));
        }
        OutputFiles.writeString(output, sb.toString(), outputs.mkdirs);
        System.out.print(sb.toString().lines().limit(10).map(l -> l + "\n").reduce("", String::concat));
        DemoSearch.Ranked best = ranking.get(0);
        ResumedWork resumed = scores.resumed();
        double total = wall + (resumed == null ? 0 : resumed.seconds());
        String earlier = resumed == null ? "" : String.format(Locale.ROOT, "; %d scores and %.0f s of it from earlier runs%s", resumed.count(),
                resumed.seconds(), resumed.untimed() > 0 ? ", " + resumed.untimed() + " of those untimed" : "");
        System.out.printf(Locale.ROOT, "best (STS-B dev Spearman %.2f on %d pairs, %.0f s%s):%n%s%n", best.spearman(), best.pairs(), total, earlier,
                best.template());
        if (!noStore && !weights.isEmpty()) {
            System.err.println("sentemb: not stored as --template icl:best for " + model + ": that is the plain model's, and this search ran with "
                    + (this.model.adapter != null ? "an adapter" : "--q8") + "; use the template printed above");
        } else if (!noStore) {
            DemoStore.save(home, model, ranking, total, resumed);
            System.err.println("sentemb: stored as --template icl:best for " + model + " in " + DemoStore.fileFor(home, model));
        }
        return ExitCodes.OK;
    }
}
