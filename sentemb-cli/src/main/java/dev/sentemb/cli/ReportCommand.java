package dev.sentemb.cli;

import dev.sentemb.eval.report.EvalReport;
import dev.sentemb.eval.report.HtmlReport;
import dev.sentemb.eval.report.Markdown;
import dev.sentemb.eval.report.TrainingReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare results files of sentemb eval and compare (e.g. the size ladder, plain and with a demonstration, or a strategy grid run in pieces): "
                        + "Markdown tables and an HTML report with a scaling chart.",
                "Given training logs instead (a train-log.jsonl, or a sentemb train output directory): the loss, learning-rate and STS-B dev curves."})
final class ReportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RESULTS.json|TRAIN-LOG")
    List<Path> inputs;

    @Mixin
    OutputOptions outputs;

    @Option(names = "--output", paramLabel = "FILE.html", description = "Write the HTML report here.")
    Path output;

    @Option(names = "--markdown", paramLabel = "FILE.md", description = "Write the Markdown tables here.")
    Path markdown;

    @Override
    public Integer call() throws Exception {
        OutputFiles.checkDirectories(outputs.mkdirs, output, markdown);
        if (inputs.stream().allMatch(TrainingReport::isTrainingLog)) {
            List<TrainingReport.Run> runs = new ArrayList<>();
            for (Path p : inputs) {
                runs.add(TrainingReport.read(p));
            }
            String md = TrainingReport.markdown(runs);
            System.out.print(md);
            OutputFiles.writeString(markdown, md, outputs.mkdirs);
            OutputFiles.writeString(output, TrainingReport.html("sentemb train: " + runs.size() + " run" + (runs.size() == 1 ? "" : "s"), runs), outputs.mkdirs);
            return ExitCodes.OK;
        }
        List<EvalReport> reports = new ArrayList<>();
        for (Path p : inputs) {
            reports.addAll(EvalReport.readAll(p));
        }
        String md = Markdown.tables(reports);
        System.out.print(md);
        OutputFiles.writeString(markdown, md, outputs.mkdirs);
        OutputFiles.writeString(output, HtmlReport.render("sentemb: " + reports.size() + " results", reports), outputs.mkdirs);
        return ExitCodes.OK;
    }
}
