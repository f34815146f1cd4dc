package dev.sentemb.tokenizer;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of a SentencePiece {@code tokenizer.model} (a protobuf {@code ModelProto}) that tokenization
 * needs, read by field number with protobuf's {@link CodedInputStream} (sentencepiece_model.proto:
 * ModelProto.pieces = 1 {piece = 1, score = 2, type = 3}, trainer_spec = 2 {model_type = 3,
 * unk_id = 40, bos_id = 41, eos_id = 42, byte_fallback = 35}, normalizer_spec = 3 {name = 1,
 * add_dummy_prefix = 3, remove_extra_whitespaces = 4}). Unknown fields are skipped.
 *
 * @param types SentencePiece piece types, numbered as {@link TokenType} (NORMAL 1 … BYTE 6)
 */
record SentencePieceModel(String[] pieces, float[] scores, int[] types, int modelType, boolean byteFallback,
                          int unkId, int bosId, int eosId, String normalizer, boolean addDummyPrefix,
                          boolean removeExtraWhitespaces) {
    static final int UNIGRAM = 1;
    static final int BPE = 2;

    static SentencePieceModel read(Path file) {
        HfTokenizers.requireRegularFile(file);
        try (InputStream in = Files.newInputStream(file)) {
            return parse(CodedInputStream.newInstance(in));
        } catch (IOException e) {
            throw new TokenizerException(file + ": not a readable SentencePiece model (" + e.getMessage() + ")");
        }
    }

    private static SentencePieceModel parse(CodedInputStream in) throws IOException {
        in.setSizeLimit(Integer.MAX_VALUE);
        List<String> pieces = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        int[] trainer = {UNIGRAM, 0, 0, 1, 2}; // model_type, byte_fallback, unk, bos, eos: the proto's defaults
        String normalizer = "nmt_nfkc";
        boolean dummyPrefix = true;
        boolean removeSpaces = true;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> {
                    int limit = in.pushLimit(in.readRawVarint32());
                    String piece = "";
                    float score = 0;
                    int type = TokenType.NORMAL;
                    for (int t; (t = in.readTag()) != 0; ) {
                        switch (WireFormat.getTagFieldNumber(t)) {
                            case 1 -> piece = in.readString();
                            case 2 -> score = in.readFloat();
                            case 3 -> type = in.readEnum();
                            default -> in.skipField(t);
                        }
                    }
                    in.popLimit(limit);
                    pieces.add(piece);
                    scores.add(score);
                    types.add(type);
                }
                case 2 -> {
                    int limit = in.pushLimit(in.readRawVarint32());
                    for (int t; (t = in.readTag()) != 0; ) {
                        switch (WireFormat.getTagFieldNumber(t)) {
                            case 3 -> trainer[0] = in.readEnum();
                            case 35 -> trainer[1] = in.readBool() ? 1 : 0;
                            case 40 -> trainer[2] = in.readInt32();
                            case 41 -> trainer[3] = in.readInt32();
                            case 42 -> trainer[4] = in.readInt32();
                            default -> in.skipField(t);
                        }
                    }
                    in.popLimit(limit);
                }
                case 3 -> {
                    int limit = in.pushLimit(in.readRawVarint32());
                    for (int t; (t = in.readTag()) != 0; ) {
                        switch (WireFormat.getTagFieldNumber(t)) {
                            case 1 -> normalizer = in.readString();
                            case 3 -> dummyPrefix = in.readBool();
                            case 4 -> removeSpaces = in.readBool();
                            default -> in.skipField(t);
                        }
                    }
                    in.popLimit(limit);
                }
                default -> in.skipField(tag);
            }
        }
        float[] sc = new float[scores.size()];
        int[] ty = new int[types.size()];
        for (int i = 0; i < sc.length; i++) {
            sc[i] = scores.get(i);
            ty[i] = types.get(i);
        }
        return new SentencePieceModel(pieces.toArray(String[]::new), sc, ty, trainer[0], trainer[1] != 0, trainer[2], trainer[3],
                trainer[4], normalizer, dummyPrefix, removeSpaces);
    }
}
