package dev.sentemb.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.testing.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's library snippet, run as a user runs it: a separate plain JVM (no launcher, no launcher
 * flags) on the library's class path, with the one JVM option the README tells them to add, and without it
 * (a one-line error naming the option, before any model loads).
 */
class ReadmeSnippetTest {
    private static final Path README = Path.of("..", "README.md");

    @TempDir
    Path dir;

    /** The first java block of the README's "The library" section, inside a main method that prints the similarity. */
    private Path snippetProgram() throws Exception {
        String readme = Files.readString(README);
        String section = readme.substring(readme.indexOf("## The library"));
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(section);
        assertTrue(m.find(), "no java block in the README's library section");
        String code = m.group(1);
        assertTrue(code.contains("double sim = "), code);
        code = code.replaceFirst("(double sim = [^;]*;)", "$1\n    System.out.println(\"similarity \" + sim);");
        String program = "import dev.sentemb.embed.*;\nimport java.util.List;\n\npublic class Snippet {\n"
                + "  public static void main(String[] args) {\n" + code + "  }\n}\n";
        Path file = dir.resolve("Snippet.java");
        Files.writeString(file, program);
        return file;
    }

    private record Result(int code, String out, String err) {}

    private static Result java(List<String> options, Path program) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(options);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(program.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("SENTEMB_HOME", TestModels.require("smollm2-135m").getParent().getParent().toString());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void theSnippetRunsInAPlainJvmWithTheModuleOption() throws Exception {
        Path program = snippetProgram();
        assertTrue(System.getProperty("java.class.path").contains("jackson"), "the test class path is the library's");
        Result ok = java(List.of("--add-modules", "jdk.incubator.vector"), program);
        assertEquals(0, ok.code(), ok.err());
        Matcher sim = Pattern.compile("similarity (\\S+)").matcher(ok.out());
        assertTrue(sim.find(), ok.out());
        double s = Double.parseDouble(sim.group(1));
        assertTrue(s > 0.5 && s < 1, "a guitar and making music are similar: " + s);
    }

    @Test
    void withoutTheModuleOptionItFailsAtOnceNamingIt() throws Exception {
        Result r = java(List.of(), snippetProgram());
        assertNotEquals(0, r.code());
        String first = r.err().lines().filter(l -> !l.startsWith("WARNING")).findFirst().orElse("");
        assertTrue(first.contains("dev.sentemb.SentembException") && first.contains("--add-modules jdk.incubator.vector"), r.err());
        assertTrue(!r.err().contains("NoClassDefFoundError"), r.err());
    }
}
