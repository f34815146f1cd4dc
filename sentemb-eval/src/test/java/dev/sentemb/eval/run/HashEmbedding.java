package dev.sentemb.eval.run;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The deterministic bag-of-hashed-words embedding of tools/oracle/senteval_reference.py --hash-dim, so
 * that the reference SentEval's scores on it can be checked here without shipping the embedding file.
 */
final class HashEmbedding {
    private HashEmbedding() {}

    static float[] of(String text, int dim) {
        double[] v = new double[dim];
        v[0] = 1.0;
        try {
            for (String w : text.split(" ", -1)) {
                if (w.isEmpty()) {
                    continue;
                }
                byte[] raw = new byte[0];
                for (int block = 0; raw.length < dim - 1; block++) {
                    MessageDigest md = MessageDigest.getInstance("SHA-256");
                    md.update((block + "|").getBytes(StandardCharsets.UTF_8));
                    md.update(pyLower(w).getBytes(StandardCharsets.UTF_8));
                    byte[] d = md.digest();
                    byte[] n = new byte[raw.length + d.length];
                    System.arraycopy(raw, 0, n, 0, raw.length);
                    System.arraycopy(d, 0, n, raw.length, d.length);
                    raw = n;
                }
                for (int j = 1; j < dim; j++) {
                    v[j] += ((raw[j - 1] & 0xff) - 127.5) / 127.5;
                }
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        float[] f = new float[dim];
        for (int j = 0; j < dim; j++) {
            f[j] = (float) v[j];
        }
        return f;
    }

    /** Python's str.lower() for the text at hand (Java's root-locale lower case agrees on it). */
    private static String pyLower(String s) {
        return s.toLowerCase(java.util.Locale.ROOT);
    }
}
