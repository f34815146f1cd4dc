package dev.sentemb.embed;

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
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model and its tokenizer opened from either source a user may have: a GGUF file, or a Hugging
 * Face directory (config.json, safetensors or .bin, tokenizer files). Owns the open files.
 *
 * @param gguf the GGUF file, or null for a Hugging Face directory
 * @param hf   the checkpoint, or null for a GGUF file
 */
record LoadedModel(Path path, GgufFile gguf, HfCheckpoint hf, Tokenizer tokenizer, TransformerModel model) implements AutoCloseable {

    /**
     * @param adapter a PEFT LoRA directory, or null
     * @param merge   merge the adapter into the weights (else apply it on the fly)
     * @param q8      quantize a Hugging Face checkpoint's matrices to Q8_0 on load
     */
    static LoadedModel open(Path path, Kernels kernels, Path adapter, boolean merge, boolean q8) {
        if (Files.isDirectory(path)) {
            HfCheckpoint ckpt = HfCheckpoint.open(path);
            try {
                Tokenizer tok = HfTokenizers.fromDirectory(path);
                LoraAdapter lora = adapter == null ? null : LoraAdapter.load(adapter, merge);
                return new LoadedModel(path, null, ckpt, tok, HfModels.load(ckpt, kernels, q8, lora));
            } catch (RuntimeException e) {
                ckpt.close();
                throw e;
            }
        }
        if (q8) {
            throw new dev.sentemb.SentembException("--q8 applies to Hugging Face model directories; " + path
                    + " is a GGUF file, whose weights keep the quantization they were saved with");
        }
        GgufFile f = GgufFile.open(path);
        try {
            LoraAdapter lora = adapter == null ? null : LoraAdapter.load(adapter, merge);
            return new LoadedModel(path, f, null, Tokenizers.fromGguf(f), ModelLoader.load(f, kernels, lora));
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    @Override
    public void close() {
        model.close();
        if (gguf != null) {
            gguf.close();
        }
        if (hf != null) {
            hf.close();
        }
    }
}
