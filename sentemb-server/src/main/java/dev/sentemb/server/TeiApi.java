package dev.sentemb.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentemb.embed.Similarity;
import dev.sentemb.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * text-embeddings-inference's routes: {@code POST /embed}, {@code /similarity}, {@code /tokenize} and
 * {@code GET /info}, with TEI's fields ({@code normalize} default true, {@code truncate},
 * {@code truncation_direction}, {@code prompt_name} naming a template, {@code dimensions}). A request may
 * add {@code model} to pick a served model (TEI serves one; here the first is the default).
 */
final class TeiApi {
    private final Models models;
    private final EmbeddingService service;
    private final ServeConfig config;

    TeiApi(Models models, EmbeddingService service, ServeConfig config) {
        this.models = models;
        this.service = service;
        this.config = config;
    }

    byte[] embed(byte[] body, ClientConnections.Watch client) {
        ObjectNode req = Json.object(body);
        ServedModel model = models.get(Json.string(req, "model"));
        List<Inputs.Input> inputs = Inputs.parse(req.get("inputs"), "inputs");
        checkBatch(inputs.size());
        boolean normalize = Json.bool(req, "normalize", true);
        Integer dimensions = Json.positive(req, "dimensions", model.encoder.dimension());
        EmbeddingService.Result r = service.embed(model, inputs, truncate(req), fromLeft(req), Json.string(req, "prompt_name"), "inputs", client);
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (float[] v : r.vectors()) {
            ArrayNode a = out.addArray();
            for (float x : Vectors.shape(v, dimensions, normalize)) {
                a.add(x);
            }
        }
        return Json.bytes(out);
    }

    /** Cosine similarity of the source sentence with each of the others (TEI's sentence-similarity task). */
    byte[] similarity(byte[] body, ClientConnections.Watch client) {
        ObjectNode req = Json.object(body);
        ServedModel model = models.get(Json.string(req, "model"));
        JsonNode in = req.get("inputs");
        if (in == null || !in.isObject()) {
            throw ApiException.invalid("'inputs' must be an object with 'source_sentence' and 'sentences'", "inputs");
        }
        String source = Json.string(in, "source_sentence");
        if (source == null) {
            throw ApiException.invalid("'inputs.source_sentence' is required", "inputs.source_sentence");
        }
        JsonNode sentences = in.get("sentences");
        if (sentences == null || !sentences.isArray()) {
            throw ApiException.invalid("'inputs.sentences' must be an array of strings", "inputs.sentences");
        }
        if (sentences.isEmpty()) {
            throw ApiException.empty("'inputs.sentences' cannot be empty", "inputs.sentences");
        }
        List<Inputs.Input> inputs = new ArrayList<>();
        inputs.add(new Inputs.Input(source, null));
        for (int i = 0; i < sentences.size(); i++) {
            if (!sentences.get(i).isTextual()) {
                throw ApiException.invalid("'inputs.sentences[" + i + "]' must be a string; got " + Inputs.kind(sentences.get(i)),
                        "inputs.sentences");
            }
            inputs.add(new Inputs.Input(sentences.get(i).asText(), null));
        }
        checkBatch(inputs.size());
        JsonNode params = req.get("parameters");
        if (params != null && !params.isNull() && !params.isObject()) {
            throw ApiException.invalid("'parameters' must be an object", "parameters");
        }
        JsonNode p = params == null || params.isNull() ? Json.MAPPER.createObjectNode() : params;
        EmbeddingService.Result r = service.embed(model, inputs, truncate(p), fromLeft(p), Json.string(p, "prompt_name"), "inputs.sentences", client);
        ArrayNode out = Json.MAPPER.createArrayNode();
        float[] first = r.vectors().get(0);
        for (int i = 1; i < r.vectors().size(); i++) {
            out.add((float) Similarity.cosine(first, r.vectors().get(i)));
        }
        return Json.bytes(out);
    }

    /**
     * The tokens of each input's prompt as the model will see it (the served template applied, as TEI applies
     * a default prompt; {@code prompt_name} picks another): id, text, whether special, and the character span
     * in the prompt where the tokens' texts spell it exactly (else null).
     */
    byte[] tokenize(byte[] body) {
        ObjectNode req = Json.object(body);
        ServedModel model = models.get(Json.string(req, "model"));
        JsonNode in = req.get("inputs");
        List<String> texts = new ArrayList<>();
        if (in != null && in.isTextual()) {
            texts.add(in.asText());
        } else if (in != null && in.isArray() && !in.isEmpty()) {
            for (int i = 0; i < in.size(); i++) {
                if (!in.get(i).isTextual()) {
                    throw ApiException.invalid("'inputs[" + i + "]' must be a string; got " + Inputs.kind(in.get(i)), "inputs");
                }
                texts.add(in.get(i).asText());
            }
        } else if (in != null && in.isArray()) {
            throw ApiException.empty("'inputs' cannot be empty", "inputs");
        } else {
            throw ApiException.invalid("'inputs' must be a string or an array of strings", "inputs");
        }
        checkBatch(texts.size());
        boolean special = Json.bool(req, "add_special_tokens", true);
        var encoder = model.encoder(Json.string(req, "prompt_name"));
        Tokenizer tok = model.tokenizer();
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (String t : texts) {
            String prompt = encoder.prompt(t);
            int[] ids = tok.encode(prompt, special);
            ArrayNode list = out.addArray();
            int pos = 0;
            boolean aligned = true;
            for (int id : ids) {
                boolean isSpecial = (tok.bosId().isPresent() && tok.bosId().getAsInt() == id) || (tok.eosId().isPresent() && tok.eosId().getAsInt() == id);
                String piece = isSpecial ? tok.token(id) : tok.decode(new int[] {id});
                ObjectNode o = list.addObject();
                o.put("id", id);
                o.put("text", piece);
                o.put("special", isSpecial);
                if (!isSpecial && aligned && prompt.startsWith(piece, pos)) {
                    o.put("start", pos);
                    o.put("stop", pos + piece.length());
                    pos += piece.length();
                } else {
                    aligned &= isSpecial;
                    o.putNull("start");
                    o.putNull("stop");
                }
            }
        }
        return Json.bytes(out);
    }

    /** TEI's info object for a served model (the default unless {@code ?model=} names another). */
    byte[] info(String modelName, String version) {
        ServedModel m = models.get(modelName);
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("model_id", m.entry.model());
        o.putNull("model_sha");
        o.put("model_dtype", "float32");
        o.put("served_model_name", m.alias);
        if (m.encoder.strategy() instanceof dev.sentemb.strategy.PromptEolStrategy p) {
            o.putObject("model_type").putObject("embedding").put("pooling", p.pooling() == dev.sentemb.strategy.Pooling.MEAN ? "mean" : "last_token");
            o.put("template", p.template().source());
        } else { // echo: the mean over the sentence's second copy
            o.putObject("model_type").putObject("embedding").put("pooling", "mean");
            o.put("strategy", m.encoder.strategy().describe());
        }
        o.put("dimensions", m.encoder.dimension());
        o.put("max_concurrent_requests", config.maxConcurrentRequests());
        o.put("max_input_length", m.maxInputTokens);
        o.put("max_batch_tokens", config.maxBatchTokens());
        o.putNull("max_batch_requests");
        o.put("max_client_batch_size", config.maxClientBatchSize());
        o.put("auto_truncate", config.autoTruncate());
        o.put("tokenization_workers", 0);
        o.put("version", version);
        o.putNull("sha");
        o.putNull("docker_label");
        return Json.bytes(o);
    }

    private void checkBatch(int n) {
        if (n > config.maxClientBatchSize()) {
            throw ApiException.tooLarge("batch size " + n + " > maximum allowed batch size " + config.maxClientBatchSize(), "inputs");
        }
    }

    private boolean truncate(JsonNode req) {
        return Json.bool(req, "truncate", config.autoTruncate());
    }

    private static boolean fromLeft(JsonNode req) {
        String d = Json.string(req, "truncation_direction");
        if (d == null || d.equalsIgnoreCase("right")) {
            return false;
        }
        if (d.equalsIgnoreCase("left")) {
            return true;
        }
        throw ApiException.invalid("'truncation_direction' must be 'left' or 'right'; got '" + d + "'", "truncation_direction");
    }
}
