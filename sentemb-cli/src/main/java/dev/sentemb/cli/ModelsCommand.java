package dev.sentemb.cli;

import dev.sentemb.load.KnownModel;
import dev.sentemb.load.ModelRegistry;
import dev.sentemb.load.ModelStore;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "models", mixinStandardHelpOptions = true, description = "List the models sentemb can fetch by name, and which are in the cache.")
final class ModelsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        ModelStore store = ModelStore.standard();
        for (KnownModel m : ModelRegistry.all()) {
            boolean cached = Files.isRegularFile(store.pathOf(m));
            System.out.printf("%-20s %-8s %s%n", m.name(), cached ? "cached" : "-", m.title());
        }
        System.out.println("cache: " + store.home().resolve("models"));
        return ExitCodes.OK;
    }
}
