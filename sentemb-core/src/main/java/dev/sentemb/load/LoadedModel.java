package dev.sentemb.load;

import dev.sentemb.SentembException;
import dev.sentemb.kernel.Kernels;
import dev.sentemb.model.HfModels;
import dev.sentemb.model.LoraAdapter;
import dev.sentemb.model.ModelLoader;
import dev.sentemb.model.TransformerModel;
import dev.sentemb.tokenizer.HfTokenizers;
import dev.sentemb.tokenizer.Tokenizer;
import dev.sentemb.tokenizer.Tokenizers;
import dev.sentemb.weights.GgufFile;
import dev.sentemb.weights.HfCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * A model and its tokenizer opened from a {@link ModelSpec}: a GGUF file or a Hugging Face directory
 * (with an adapter on top, if the spec names one), on kernels the caller owns. Resolving the spec may
 * fetch a registry model into the cache: that happens here, at load time, never while embedding.
 * Closing it releases the weights' files only; the kernels and their pool stay the caller's.
 */
public final class LoadedModel implements AutoCloseable {
    private final Path path;
    private final ModelSpec spec;
    private final AutoCloseable weights;
    private final Tokenizer tokenizer;
    private final TransformerModel model;

    private LoadedModel(Path path, ModelSpec spec, AutoCloseable weights, Tokenizer tokenizer, TransformerModel model) {
        int rows = model.config().vocabSize();
        if (tokenizer.vocabSize() > rows) {
            model.close();
            // checked here, not at the first sentence that happens to use a token id past the matrix
            throw new dev.sentemb.model.ModelFormatException(path + ": the tokenizer has " + tokenizer.vocabSize()
                    + " tokens but the token embedding has " + rows + " rows; every token id needs a row");
        }
        this.path = path;
        this.spec = spec;
        this.weights = weights;
        this.tokenizer = tokenizer;
        this.model = model;
    }

    /**
     * Resolves {@code spec} in {@code store} (fetching a registry model on first use, reporting bytes
     * to {@code fetchProgress} if not null) and opens it on {@code kernels}.
     */
    public static LoadedModel open(ModelSpec spec, Kernels kernels, ModelStore store, LongConsumer fetchProgress) {
        return open(store.resolve(spec.model(), fetchProgress), spec, kernels);
    }

    /** Opens an already resolved model file or directory with the spec's adapter and quantization. */
    public static LoadedModel open(Path path, ModelSpec spec, Kernels kernels) {
        Path adapter = spec.adapter() == null ? null : Path.of(spec.adapter());
        return open(path, spec, kernels, adapter == null ? null : () -> LoraAdapter.load(adapter, spec.mergeAdapter()));
    }

    /**
     * Opens a resolved model with an adapter object of the caller's (training: a fresh one, or a
     * checkpoint being resumed, applied on the fly so its arrays are the live parameters) instead of the
     * spec's; null: none.
     */
    public static LoadedModel open(Path path, ModelSpec spec, Kernels kernels, LoraAdapter adapter) {
        return open(path, spec, kernels, adapter == null ? null : () -> adapter);
    }

    private static LoadedModel open(Path path, ModelSpec spec, Kernels kernels, java.util.function.Supplier<LoraAdapter> adapter) {
        if (Files.isDirectory(path)) {
            HfCheckpoint ckpt = HfCheckpoint.open(path);
            try {
                Tokenizer tok = HfTokenizers.fromDirectory(path);
                LoraAdapter lora = adapter == null ? null : adapter.get();
                return new LoadedModel(path, spec, ckpt, tok, HfModels.load(ckpt, kernels, spec.quantizeQ8(), lora, spec.packedBytes()));
            } catch (RuntimeException e) {
                ckpt.close();
                throw e;
            }
        }
        if (spec.quantizeQ8()) {
            throw new SentembException("--q8 applies to Hugging Face model directories; " + path
                    + " is a GGUF file, whose weights keep the quantization they were saved with");
        }
        GgufFile f = GgufFile.open(path);
        try {
            LoraAdapter lora = adapter == null ? null : adapter.get();
            return new LoadedModel(path, spec, f, Tokenizers.fromGguf(f), ModelLoader.load(f, kernels, lora, spec.packedBytes()));
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    /** The model's GGUF file or Hugging Face directory. */
    public Path path() {
        return path;
    }

    /** What this model was opened from: its adapter, merged or not, and the quantization on load. */
    public ModelSpec spec() {
        return spec;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public TransformerModel model() {
        return model;
    }

    /** Bytes of the weights on disk: the GGUF file, or a directory's safetensors and .bin files. */
    public long weightBytes() {
        try {
            if (!Files.isDirectory(path)) {
                return Files.size(path);
            }
            try (Stream<Path> files = Files.list(path)) {
                long sum = 0;
                for (Path p : (Iterable<Path>) files::iterator) {
                    String n = p.getFileName().toString();
                    if (n.endsWith(".safetensors") || n.endsWith(".bin")) {
                        sum += Files.size(p);
                    }
                }
                return sum;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + path, e);
        }
    }

    @Override
    public void close() {
        model.close();
        try {
            weights.close();
        } catch (Exception e) {
            throw new SentembException("closing " + path + ": " + e.getMessage(), e);
        }
    }
}
