package dev.sentemb.weights;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pytorch_model.bin files made to hurt: each is a typed error naming the file, in bounded time and memory. */
class HostileCheckpointTest {
    private static final Path BIN = Path.of("src", "test", "resources", "hf", "opt-bin", "pytorch_model.bin");

    @TempDir
    Path tmp;

    @Test
    void aListThatHoldsItselfUsedAsADictKeyIsRefusedNotHashed() {
        // }  ] q0 h0 a  K1 s  .   : d = {}; l = []; l.append(l); d[l] = 1  (hashing l would recurse without end)
        byte[] pickle = {0x7d, 0x5d, 0x71, 0x00, 0x68, 0x00, 0x61, 0x4b, 0x01, 0x73, 0x2e};
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> TorchPickle.load(Path.of("x.bin"), pickle));
        assertTrue(e.getMessage().contains("x.bin") && e.getMessage().contains("dict key is a ArrayList"), e.getMessage());
    }

    /** The fixture's archive with one entry replaced by {@code size} zero bytes. */
    private Path replacing(String suffix, long size) throws Exception {
        Path out = tmp.resolve("pytorch_model.bin");
        try (ZipFile in = new ZipFile(BIN.toFile()); ZipOutputStream zo = new ZipOutputStream(Files.newOutputStream(out))) {
            for (Enumeration<? extends ZipEntry> en = in.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                zo.putNextEntry(new ZipEntry(e.getName()));
                if (e.getName().endsWith(suffix)) {
                    byte[] zeros = new byte[1 << 20];
                    for (long left = size; left > 0; left -= zeros.length) {
                        zo.write(zeros, 0, (int) Math.min(zeros.length, left));
                    }
                } else {
                    try (var s = in.getInputStream(e)) {
                        s.transferTo(zo);
                    }
                }
                zo.closeEntry();
            }
        }
        return out;
    }

    @Test
    void aStorageLargerThanItsTensorsIsRefusedBeforeItIsInflated() throws Exception {
        Path bomb = replacing("/data/0", 64L << 20); // 64 MB of zeros deflate to ~64 KB
        assertTrue(Files.size(bomb) < 1 << 20);
        CheckpointFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(CheckpointFormatException.class, () -> TorchCheckpoint.read(bomb)));
        assertTrue(e.getMessage().contains("pytorch_model.bin") && e.getMessage().contains("storage 0 has 67108864 bytes, expected"), e.getMessage());
    }

    @Test
    void aHugePickleIsRefusedBeforeItIsInflated() throws Exception {
        Path bomb = replacing("data.pkl", TorchCheckpoint.MAX_PICKLE + 1);
        CheckpointFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(CheckpointFormatException.class, () -> TorchCheckpoint.read(bomb)));
        assertTrue(e.getMessage().contains("data.pkl declares") && e.getMessage().contains("more than"), e.getMessage());
    }

    @Test
    void aVocabularyWithOneHugePieceIsRefusedNotChewedOn() {
        String[] tokens = {"a", "b", "ab".repeat(150_000)};
        java.util.Map<String, Integer> vocab = new java.util.HashMap<>();
        for (int i = 0; i < tokens.length; i++) {
            vocab.put(tokens[i], i);
        }
        var e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(dev.sentemb.tokenizer.TokenizerException.class,
                () -> dev.sentemb.tokenizer.HostileVocabulary.deriveMerges(tokens, vocab)));
        assertTrue(e.getMessage().contains("300000 characters at id 2"), e.getMessage());
    }
}
