package dev.sentemb.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.testing.HfFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile and damaged checkpoints give typed errors; nothing in a pickle is executed. */
class CheckpointSafetyTest {
    @TempDir
    Path tmp;

    /** A torch.save-style zip whose data.pkl is {@code pickle}. */
    private Path torchZip(byte[] pickle) throws IOException {
        Path p = tmp.resolve("pytorch_model.bin");
        try (OutputStream out = Files.newOutputStream(p); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(pickle);
            zip.closeEntry();
        }
        return p;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void osSystemIsRefusedNamingTheGlobal() throws IOException {
        Path marker = tmp.resolve("pwned");
        // pickle.dumps of a __reduce__ returning (os.system, ("touch <marker>",)), protocol 2
        String cmd = "touch " + marker;
        ByteArrayOutputStream pk = new ByteArrayOutputStream();
        pk.writeBytes(bytes("\u0080\u0002cos\nsystem\nq\u0000X"));
        pk.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(cmd.length()).array());
        pk.writeBytes(bytes(cmd + "q\u0001\u0085q\u0002Rq\u0003."));
        UnsafePickleException e = assertThrows(UnsafePickleException.class, () -> TorchCheckpoint.read(torchZip(pk.toByteArray())));
        assertEquals("os.system", e.global());
        assertTrue(e.getMessage().contains("os.system") && e.getMessage().contains("pytorch_model.bin"), e.getMessage());
        assertTrue(!Files.exists(marker));
    }

    @Test
    void builtinsEvalViaStackGlobalIsRefused() throws IOException {
        // protocol 4 form: SHORT_BINUNICODE 'builtins', SHORT_BINUNICODE 'eval', STACK_GLOBAL
        byte[] pk = bytes("\u0080\u0004\u008c\u0008builtins\u008c\u0004eval\u0093\u008c\u00041+1\u0085R.");
        UnsafePickleException e = assertThrows(UnsafePickleException.class, () -> TorchCheckpoint.read(torchZip(pk)));
        assertEquals("builtins.eval", e.global());
    }

    @Test
    void objectConstructionOpcodesAreRefused() throws IOException {
        // INST 'subprocess Popen' — an opcode a state dict never uses
        byte[] pk = bytes("\u0080\u0002(isubprocess\nPopen\n.");
        UnsafePickleException e = assertThrows(UnsafePickleException.class, () -> TorchCheckpoint.read(torchZip(pk)));
        assertEquals("INST", e.global());
    }

    @Test
    void realStateDictReadsLikeSafetensors() {
        Map<String, CheckpointTensor> bin = TorchCheckpoint.read(HfFixture.dir("opt-bin").resolve("pytorch_model.bin"));
        try (SafetensorsFile st = SafetensorsFile.open(HfFixture.dir("opt").resolve("model.safetensors"))) {
            for (var e : st.tensors().entrySet()) {
                CheckpointTensor b = bin.get(e.getKey());
                assertTrue(b != null, "missing in .bin: " + e.getKey());
                assertTrue(Arrays.equals(e.getValue().shape(), b.shape()));
                assertEquals(-1L, e.getValue().data().mismatch(b.data()), e.getKey());
            }
        }
    }

    @Test
    void truncatedSafetensorsHeaderIsTyped() throws IOException {
        byte[] whole = Files.readAllBytes(HfFixture.dir("llama").resolve("model.safetensors"));
        long headerLen = ByteBuffer.wrap(whole).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        Path cut = tmp.resolve("model.safetensors");
        Files.write(cut, Arrays.copyOf(whole, (int) (8 + headerLen / 2)));
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.open(cut));
        assertEquals(0, e.offset());
        assertTrue(e.getMessage().contains("header length"), e.getMessage());

        Files.write(cut, Arrays.copyOf(whole, whole.length - 100)); // header intact, data cut short
        e = assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.open(cut));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.offset() > 8 + headerLen);

        Files.write(cut, new byte[] {1, 2, 3});
        assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.open(cut));
    }

    /** Every truncation and a sweep of single-byte corruptions of a real data.pkl give typed errors, never a crash. */
    @Test
    void damagedPicklesGiveTypedErrors() throws IOException {
        byte[] pkl;
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(HfFixture.dir("opt-lora").resolve("adapter_model.bin").toFile())) {
            pkl = z.getInputStream(z.getEntry("adapter_model/data.pkl")).readAllBytes();
        }
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 300; i++) {
            byte[] bad = i < 150 ? Arrays.copyOf(pkl, r.nextInt(pkl.length)) : pkl.clone();
            if (i >= 150) {
                bad[r.nextInt(bad.length)] = (byte) r.nextInt(256);
            }
            try {
                TorchPickle.load(tmp, bad);
            } catch (CheckpointFormatException expected) {
                // typed: fine (UnsafePickleException included)
            }
        }
    }
}
