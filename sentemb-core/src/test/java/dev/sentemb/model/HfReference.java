package dev.sentemb.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hugging Face transformers' fp32 hidden states for prompts run alone: token ids (a jsonl with "ids"
 * per line) and [prompts × d] float32 .npy matrices of the last-token state and (optionally) the mean.
 * Two sources: engine/&lt;model&gt;/ (a handful of prompts, this package's own) and the oracle fixtures
 * oracle/&lt;model&gt;/{plain,icl}.* (200 STS-B/SICK sentences each, tools/oracle).
 */
record HfReference(List<int[]> ids, float[][] last, float[][] mean) {

    /** The handful of prompts under engine/&lt;model&gt;/. */
    static HfReference load(String model) {
        String dir = "/engine/" + model + "/";
        return load(dir + "prompts.jsonl", dir + "hf.last.npy", dir + "hf.mean.npy");
    }

    /** The oracle fixture of {@code kind} ("plain" or "icl"); mean is null where the oracle has none. */
    static HfReference oracle(String model, String kind) {
        String dir = "/oracle/" + model + "/" + kind;
        String mean = dir + ".hf.mean.npy";
        return load(dir + ".jsonl", dir + ".hf.last.npy", HfReference.class.getResource(mean) == null ? null : mean);
    }

    static HfReference load(String idsJsonl, String lastNpy, String meanNpy) {
        List<int[]> ids = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : new String(bytes(idsJsonl), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) continue;
            try {
                JsonNode node = json.readTree(line).get("ids");
                int[] seq = new int[node.size()];
                for (int i = 0; i < seq.length; i++) seq[i] = node.get(i).asInt();
                ids.add(seq);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        float[][] last = npy(bytes(lastNpy));
        if (last.length != ids.size()) {
            throw new IllegalStateException(lastNpy + " has " + last.length + " rows for " + ids.size() + " prompts");
        }
        return new HfReference(ids, last, meanNpy == null ? null : npy(bytes(meanNpy)));
    }

    private static byte[] bytes(String resource) {
        try (InputStream in = HfReference.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing test resource " + resource);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 2-D little-endian float32 C-order .npy file (format 1.0). */
    static float[][] npy(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (b[0] != (byte) 0x93 || !new String(b, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IllegalArgumentException("not an npy file");
        }
        int headerLen = buf.getShort(8) & 0xffff;
        String header = new String(b, 10, headerLen, StandardCharsets.US_ASCII);
        if (!header.contains("'<f4'") || header.contains("'fortran_order': True")) {
            throw new IllegalArgumentException("expected C-order <f4, got " + header);
        }
        Matcher m = Pattern.compile("'shape': \\((\\d+), (\\d+)\\)").matcher(header);
        if (!m.find()) throw new IllegalArgumentException("expected a 2-D shape: " + header);
        int rows = Integer.parseInt(m.group(1)), cols = Integer.parseInt(m.group(2));
        buf.position(10 + headerLen);
        float[][] out = new float[rows][cols];
        for (float[] row : out) for (int i = 0; i < cols; i++) row[i] = buf.getFloat();
        return out;
    }

    static double cosine(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException(a.length + " vs " + b.length);
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
