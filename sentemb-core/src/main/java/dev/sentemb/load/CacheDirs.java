package dev.sentemb.load;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where caches live, resolved from the environment the way users' other tools resolve theirs (so a
 * container or CI job whose {@code $HOME} differs from Java's {@code user.home} still finds them):
 * sentemb's own store is {@code $SENTEMB_HOME}, else {@code $XDG_CACHE_HOME/sentemb}, else
 * {@code $HOME/.cache/sentemb}; the Hugging Face hub cache is found as {@code huggingface_hub} finds it:
 * {@code $HF_HUB_CACHE}, else {@code $HF_HOME/hub}, else {@code $XDG_CACHE_HOME/huggingface/hub}, else
 * {@code $HOME/.cache/huggingface/hub}. Java's {@code user.home} is used only where {@code $HOME} is unset.
 */
public final class CacheDirs {
    private CacheDirs() {}

    /** sentemb's store (models, eval caches, demonstrations) for this process's environment. */
    public static Path sentembHome() {
        return sentembHome(System.getenv());
    }

    /** The Hugging Face hub cache for this process's environment. */
    public static Path huggingFaceHub() {
        return huggingFaceHub(System.getenv());
    }

    static Path sentembHome(Map<String, String> env) {
        String home = nonBlank(env.get("SENTEMB_HOME"));
        if (home != null) {
            return Path.of(home);
        }
        return userCache(env).resolve("sentemb");
    }

    static Path huggingFaceHub(Map<String, String> env) {
        String cache = nonBlank(env.get("HF_HUB_CACHE"));
        if (cache != null) {
            return Path.of(cache);
        }
        String hfHome = nonBlank(env.get("HF_HOME"));
        if (hfHome != null) {
            return Path.of(hfHome, "hub");
        }
        return userCache(env).resolve("huggingface").resolve("hub");
    }

    /** {@code $XDG_CACHE_HOME}, else {@code $HOME/.cache}. */
    static Path userCache(Map<String, String> env) {
        String xdg = nonBlank(env.get("XDG_CACHE_HOME"));
        if (xdg != null) {
            return Path.of(xdg);
        }
        String home = nonBlank(env.get("HOME"));
        return Path.of(home != null ? home : System.getProperty("user.home"), ".cache");
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
