package dev.sentemb.eval.run;

import dev.sentemb.load.ModelSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What a model spec puts on top of the model file that changes every vector: the adapter (by its files'
 * bytes, so a retrained adapter in the same directory is another identity; merged or applied on the fly)
 * and quantization on load. Caches and score logs key on it, so an adapter run never reads what the plain
 * model (or another adapter) computed. Empty for a plain model, whose keys stay what they always were.
 */
public final class WeightsIdentity {
    private WeightsIdentity() {}

    /** "" for a spec with no adapter and no quantization on load, else a text naming both. */
    public static String of(ModelSpec spec) {
        StringBuilder s = new StringBuilder();
        if (spec.adapter() != null) {
            s.append("\nadapter ").append(spec.mergeAdapter() ? "merged " : "on the fly ").append(contentHash(Path.of(spec.adapter())));
        }
        if (spec.quantizeQ8()) {
            s.append("\nq8");
        }
        return s.toString();
    }

    /** A short file-name tag of {@link #of}: "" for a plain model, else "+" and 12 hex digits. */
    public static String tag(ModelSpec spec) {
        String id = of(spec);
        return id.isEmpty() ? "" : "+" + sha256(id.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    }

    /** SHA-256 over a file's bytes, or over the names and bytes of a directory's files (not its subdirectories). */
    static String contentHash(Path p) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            List<Path> files;
            if (Files.isDirectory(p)) {
                try (var list = Files.list(p)) {
                    files = list.filter(Files::isRegularFile).sorted().toList();
                }
            } else {
                files = List.of(p);
            }
            byte[] buf = new byte[1 << 16];
            for (Path f : files) {
                md.update((f.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
                try (var in = Files.newInputStream(f)) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        md.update(buf, 0, n);
                    }
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the adapter " + p, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
