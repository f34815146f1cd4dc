package dev.sentemb.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a model id such as {@code facebook/opt-125m} (optionally {@code @revision}) in the local
 * Hugging Face cache, offline, found as {@link CacheDirs#huggingFaceHub()} resolves it; the snapshot is {@code models--org--name/snapshots/<commit>/},
 * the commit read from {@code refs/<revision>} (default {@code main}) or given directly.
 */
public final class HfCache {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][\\w.-]*/[\\w.-]+(@[\\w./-]+)?");

    private final Path hub;

    public HfCache(Path hub) {
        this.hub = hub;
    }

    /** The cache the environment names (see the class comment). */
    public static HfCache standard() {
        return new HfCache(CacheDirs.huggingFaceHub());
    }

    public Path hub() {
        return hub;
    }

    /** Whether {@code s} has the shape of a model id (org/name[@rev]) rather than a path. */
    public static boolean looksLikeId(String s) {
        return ID.matcher(s).matches() && !s.startsWith(".") && !s.startsWith("/");
    }

    /** The snapshot directory of {@code id}, or empty when the cache does not hold that model. */
    public Optional<Path> find(String id) {
        String rev = "main";
        int at = id.indexOf('@');
        if (at >= 0) {
            rev = id.substring(at + 1);
            id = id.substring(0, at);
        }
        Path repo = hub.resolve("models--" + id.replace("/", "--"));
        if (!Files.isDirectory(repo)) {
            return Optional.empty();
        }
        String commit = rev;
        Path ref = repo.resolve("refs").resolve(rev);
        if (!rev.contains("..") && Files.isRegularFile(ref)) {
            try {
                commit = Files.readString(ref, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ModelFetchException("cannot read " + ref + ": " + e.getMessage(), e);
            }
        }
        Path snap = repo.resolve("snapshots").resolve(commit);
        if (!commit.contains("/") && !commit.contains("..") && Files.isDirectory(snap)) {
            return Optional.of(snap);
        }
        // No ref for the revision: a single snapshot is unambiguous.
        if (rev.equals("main")) {
            try (Stream<Path> s = Files.list(repo.resolve("snapshots"))) {
                List<Path> all = s.filter(Files::isDirectory).toList();
                if (all.size() == 1) {
                    return Optional.of(all.getFirst());
                }
                if (all.size() > 1) {
                    throw new ModelFetchException(repo + " holds " + all.size() + " snapshots and no refs/main; name one as "
                            + id + "@<commit>");
                }
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
