import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * scripts/spark-bench.sh's check: `sentemb embed`'s JSONL and `sentemb spark-embed`'s JSONL part files hold the
 * same vectors bit for bit, row for row (the Spark rows by their id; an error row must be an error in both).
 * Usage: java -cp 'sentemb-cli/target/lib/*' scripts/spark/CompareEmbeddings.java LIB.jsonl SPARK_DIR
 */
public class CompareEmbeddings {
    public static void main(String[] args) throws Exception {
        ObjectMapper om = new ObjectMapper();
        List<float[]> lib = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(Path.of(args[0]))) {
            for (String line; (line = r.readLine()) != null; ) {
                lib.add(floats(om.readTree(line).get("embedding")));
            }
        }
        List<Path> parts;
        try (var s = Files.list(Path.of(args[1]))) {
            parts = s.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
        }
        float[][] spark = new float[lib.size()][];
        long rows = 0, errors = 0;
        for (Path p : parts) {
            try (BufferedReader r = Files.newBufferedReader(p)) {
                for (String line; (line = r.readLine()) != null; ) {
                    JsonNode n = om.readTree(line);
                    int id = n.get("id").asInt();
                    if (id < 0 || id >= spark.length || spark[id] != null) {
                        throw new IllegalStateException("id " + id + " out of range or repeated in " + p);
                    }
                    rows++;
                    if (!n.get("error").isNull()) {
                        errors++;
                        spark[id] = new float[0];
                        continue;
                    }
                    spark[id] = floats(n.get("embedding"));
                }
            }
        }
        long equal = 0;
        for (int i = 0; i < lib.size(); i++) {
            if (spark[i] == null) {
                throw new IllegalStateException("row " + i + " missing from the Spark output");
            }
            if (java.util.Arrays.equals(lib.get(i), spark[i])) {
                equal++;
            } else if (spark[i].length == 0) {
                System.out.println("row " + i + ": an error in Spark, a vector in the library");
            } else {
                System.out.println("row " + i + ": vectors differ");
            }
        }
        System.out.printf("compare: %d library rows, %d Spark rows (%d errors), %d bitwise equal%n", lib.size(), rows, errors, equal);
        System.exit(equal == lib.size() && rows == lib.size() ? 0 : 1);
    }

    private static float[] floats(JsonNode a) {
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = Float.parseFloat(a.get(i).asText());
        }
        return f;
    }
}
