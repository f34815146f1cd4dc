package dev.sentemb.strategy;

import dev.sentemb.model.PassOptions;
import dev.sentemb.model.PromptStates;
import dev.sentemb.prompt.PromptTemplate;
import dev.sentemb.tokenizer.Tokenizer;
import java.util.List;

/**
 * Several prompts per sentence, their embeddings averaged (no normalisation before the mean): MetaEOL
 * (Lei et al. 2024, "Meta-Task Prompting Elicits Embeddings from Large Language Models") with its eight
 * meta-task prompts, each read as PromptEOL reads one (the cleaned sentence in the template, the last token's
 * final state). An encoder embeds an ensemble part by part, each part with its own shared-prefix cache, and
 * averages; the parts are one-prompt strategies, so this one has no prompt, tokens or pooling of its own.
 *
 * @param name  a short name for reports
 * @param parts the one-prompt strategies whose embeddings are averaged
 */
public record EnsembleStrategy(String name, List<EmbeddingStrategy> parts) implements EmbeddingStrategy {
    /** MetaEOL's meta-task prompts as its authors' evaluation.py lists them, in the reference's underscore form. */
    static final List<String> META_EOL_PROMPTS = List.of(
            "In this task, you're presented with a text excerpt. Your task is to categorize the excerpt into a broad category such as "
                    + "'Education', 'Technology', 'Health', 'Business', 'Environment', 'Politics', or 'Culture'. These categories help in "
                    + "organizing content for better accessibility and targeting. For this task, this sentence : \"*sent 0*\" should be "
                    + "classified under one general category in one word:\"",
            "In this task, you're given a statement and you need to determine whether it's presenting an 'Opinion' or a 'Fact'. This "
                    + "distinction is vital for information verification, educational purposes, and content analysis. For this task, this "
                    + "sentence : \"*sent 0*\" discriminates between opinion and fact in one word:\"",
            "In this task, you're given a review from an online platform. Your task is to generate a rating for the product based on the "
                    + "review on a scale of 1-5, where 1 means 'extremely negative' and 5 means 'extremely positive'. For this task, this "
                    + "sentence : \"*sent 0*\" reflects the sentiment in one word:\"",
            "In this task, you're reading a personal diary entry. Your task is to identify the predominant emotion expressed, such as joy, "
                    + "sadness, anger, fear, or love. For this task, this sentence : \"*sent 0*\" conveys the emotion in one word:\"",
            "In this task, you're presented with two sentences. Your task is to assess whether the sentences convey the same meaning. Use "
                    + "'identical', 'similar', 'different', or 'unrelated' to describe the relationship. To enhance the performance of this "
                    + "task, this sentence : \"*sent 0*\" means in one word:\"",
            "In this task, you're given a sentence and a phrase. Your task is to determine if the phrase can be a contextual synonym within "
                    + "the given sentence. Options include 'yes', 'no', or 'partially'. To enhance the performance of this task, this "
                    + "sentence : \"*sent 0*\" means in one word:\"",
            "In this task, you're examining a news article. Your task is to extract the most critical fact from the article. For this task, "
                    + "this sentence : \"*sent 0*\" encapsulates the key fact in one word:\"",
            "In this task, you're reviewing a scientific abstract. Your task is to identify the main entities (e.g., proteins, diseases) and "
                    + "their relations (e.g., causes, treats). For this task, this sentence : \"*sent 0*\" highlights the primary entity or "
                    + "relation in one word:\"");

    public EnsembleStrategy {
        parts = List.copyOf(parts);
        if (parts.size() < 2 || parts.stream().anyMatch(p -> p instanceof EnsembleStrategy)) {
            throw new IllegalArgumentException("an ensemble needs at least two one-prompt strategies");
        }
    }

    /** MetaEOL: the eight prompts, PromptEOL's clean-up and read-out (last token, final layer), averaged. */
    public static EnsembleStrategy metaEol() {
        return new EnsembleStrategy("MetaEOL", META_EOL_PROMPTS.stream()
                .map(p -> (EmbeddingStrategy) PromptEolStrategy.of(PromptTemplate.of(p.replace(' ', '_'))))
                .toList());
    }

    /**
     * The user's templates as one ensemble: each read as PromptEOL reads one (the cleaned sentence in the template,
     * this pooling and layer), their embeddings averaged as MetaEOL averages its prompts. The reference's
     * multi-template evaluation scores the templates of its file one after another, not averaged (in its dev mode
     * what the demonstration search's {@code --exhaustive} does); this reads the same file as one embedding.
     */
    public static EnsembleStrategy ofTemplates(String name, List<PromptTemplate> templates, Pooling pooling, int layer) {
        if (templates.size() < 2) {
            throw new IllegalArgumentException("an ensemble of templates needs at least two; " + name + " has " + templates.size());
        }
        return new EnsembleStrategy(name, templates.stream().map(t -> (EmbeddingStrategy) new PromptEolStrategy(t, pooling, layer)).toList());
    }

    /** A template file's templates ({@link dev.sentemb.prompt.TemplateFile}) as one ensemble, named after the file. */
    public static EnsembleStrategy ofTemplateFile(java.nio.file.Path file, Pooling pooling, int layer) {
        return ofTemplates("Templates of " + file.getFileName(), dev.sentemb.prompt.TemplateFile.resolve(file), pooling, layer);
    }

    /** Every part's prompt, one per line: what the ensemble reads for {@code sentence} (and a key for caches). */
    @Override
    public String prompt(String sentence) {
        return String.join("\n", parts.stream().map(p -> p.prompt(sentence)).toList());
    }

    @Override
    public int[] tokens(String prompt, Tokenizer tokenizer) {
        throw new UnsupportedOperationException("an ensemble is embedded part by part; ask a part for its tokens");
    }

    @Override
    public List<int[]> prefixCandidates(Tokenizer tokenizer) {
        return List.of();
    }

    @Override
    public PassOptions pass() {
        return PassOptions.FINAL;
    }

    @Override
    public float[] pool(PromptStates states) {
        throw new UnsupportedOperationException("an ensemble is embedded part by part; its parts pool");
    }

    /** The mean of the parts' vectors, in part order (float sums, as the authors' fp32 mean over the prompt axis). */
    public float[] combine(List<float[]> vectors) {
        float[] mean = new float[vectors.get(0).length];
        for (float[] v : vectors) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += v[i];
            }
        }
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= vectors.size();
        }
        return mean;
    }

    @Override
    public EmbeddingStrategy forTokenizer(Tokenizer tokenizer) {
        return new EnsembleStrategy(name, parts.stream().map(p -> p.forTokenizer(tokenizer)).toList());
    }

    @Override
    public EmbeddingStrategy bind(Tokenizer tokenizer, dev.sentemb.model.ModelConfig config) {
        return new EnsembleStrategy(name, parts.stream().map(p -> p.bind(tokenizer, config)).toList());
    }

    @Override
    public String describe() {
        return name + ": the mean of " + parts.size() + " prompts' embeddings";
    }
}
