package dev.sentemb.cli;

import dev.sentemb.load.KnownModel;
import dev.sentemb.load.ModelRegistry;
import dev.sentemb.load.ModelStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "fetch", mixinStandardHelpOptions = true, description = "Fetch models into the cache ($SENTEMB_HOME, default ~/.cache/sentemb) and verify their SHA-256.")
final class FetchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", arity = "1..*", description = "Model names (see 'sentemb models').")
    List<String> names;

    @Override
    public Integer call() {
        ModelStore store = ModelStore.standard();
        for (String name : names) {
            KnownModel m = ModelRegistry.find(name).orElseThrow(() -> new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this), "unknown model '" + name + "'; see 'sentemb models'"));
            System.out.println(store.ensure(m, Progress.forFetch(name)));
        }
        return ExitCodes.OK;
    }
}
