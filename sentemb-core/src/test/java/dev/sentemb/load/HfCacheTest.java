package dev.sentemb.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolving a model id in the local Hugging Face cache, and what a directory must hold. */
class HfCacheTest {
    @TempDir
    Path tmp;

    @Test
    void resolvesModelIdsInTheHfCacheLayout() throws IOException {
        Path repo = tmp.resolve("hub/models--facebook--opt-tiny");
        Path snap = Files.createDirectories(repo.resolve("snapshots/0123abc"));
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), "0123abc\n");
        HfCache cache = new HfCache(tmp.resolve("hub"));
        assertEquals(snap, cache.find("facebook/opt-tiny").orElseThrow());
        assertEquals(snap, cache.find("facebook/opt-tiny@0123abc").orElseThrow());
        assertTrue(cache.find("facebook/opt-other").isEmpty());
        assertTrue(HfCache.looksLikeId("facebook/opt-125m"));
        assertTrue(!HfCache.looksLikeId("/abs/path"));
    }

    @Test
    void cachesResolveFromTheEnvironmentAsOtherToolsDo() {
        // huggingface_hub's order: HF_HUB_CACHE, HF_HOME/hub, XDG_CACHE_HOME/huggingface/hub, HOME/.cache/...
        assertEquals(Path.of("/c"), CacheDirs.huggingFaceHub(Map.of("HF_HOME", "/h", "HF_HUB_CACHE", "/c", "HOME", "/u")));
        assertEquals(Path.of("/h/hub"), CacheDirs.huggingFaceHub(Map.of("HF_HOME", "/h", "XDG_CACHE_HOME", "/x")));
        assertEquals(Path.of("/x/huggingface/hub"), CacheDirs.huggingFaceHub(Map.of("XDG_CACHE_HOME", "/x", "HOME", "/u")));
        assertEquals(Path.of("/u/.cache/huggingface/hub"), CacheDirs.huggingFaceHub(Map.of("HOME", "/u")));
        // sentemb's own store: SENTEMB_HOME, XDG_CACHE_HOME/sentemb, HOME/.cache/sentemb (not Java's user.home)
        assertEquals(Path.of("/s"), CacheDirs.sentembHome(Map.of("SENTEMB_HOME", "/s", "XDG_CACHE_HOME", "/x")));
        assertEquals(Path.of("/x/sentemb"), CacheDirs.sentembHome(Map.of("XDG_CACHE_HOME", "/x", "HOME", "/u")));
        assertEquals(Path.of("/u/.cache/sentemb"), CacheDirs.sentembHome(Map.of("HOME", "/u", "SENTEMB_HOME", " ")));
        assertEquals(Path.of(System.getProperty("user.home"), ".cache", "sentemb"), CacheDirs.sentembHome(Map.of()));
    }

    @Test
    void aDirectoryWithoutConfigIsATypedError() {
        ModelFetchException e = assertThrows(ModelFetchException.class, () -> ModelStore.standard().resolve(tmp.toString(), null));
        assertTrue(e.getMessage().contains("config.json"), e.getMessage());
    }
}
