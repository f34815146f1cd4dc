package dev.sentemb.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The jar a cluster's executors need when {@code spark-embed} is started by {@code bin/sentemb} rather than by
 * {@code spark-submit} (which ships its application jar itself): the module's job jar, sentemb and its
 * dependencies without Spark's.
 */
final class SparkJars {
    private SparkJars() {}

    static Optional<String> forCluster(String master) {
        if (master.startsWith("local") || System.getProperty("spark.submit.deployMode") != null) {
            return Optional.empty(); // one JVM, or spark-submit already ships the application jar
        }
        String root = System.getProperty("sentemb.root");
        if (root == null) {
            return Optional.empty();
        }
        Path target = Path.of(root, "sentemb-spark", "target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches("sentemb-spark-.*-job\\.jar"))
                    .findFirst().map(Path::toString);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
