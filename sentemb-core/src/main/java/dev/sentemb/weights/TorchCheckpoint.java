package dev.sentemb.weights;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a PyTorch checkpoint ({@code pytorch_model.bin}, {@code adapter_model.bin}): the zip archive
 * {@code torch.save} writes since PyTorch 1.6, holding {@code <name>/data.pkl} (the state dict, run by
 * the allow-listed {@link TorchPickle}) and one {@code <name>/data/<key>} entry per storage. Tensors
 * are copied into native memory (a zip entry cannot be mapped in place in general).
 */
public final class TorchCheckpoint {
    private TorchCheckpoint() {}

    /** Tensors by name, in the state dict's order. */
    public static Map<String, CheckpointTensor> read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new CheckpointFormatException(path, -1, "no such file");
        }
        try (ZipFile zip = new ZipFile(path.toFile())) {
            String prefix = null;
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                String n = en.nextElement().getName();
                if (n.equals("data.pkl") || n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - 9) {
                    prefix = n.substring(0, n.length() - "data.pkl".length());
                    break;
                }
            }
            if (prefix == null) {
                throw new CheckpointFormatException(path, -1, "zip archive has no data.pkl: not a torch.save checkpoint");
            }
            String dir = prefix;
            ZipEntry order = zip.getEntry(prefix + "byteorder");
            if (order != null && !new String(bytes(zip, order, path), StandardCharsets.US_ASCII).strip().equals("little")) {
                throw new CheckpointFormatException(path, -1, "big-endian checkpoints are not supported");
            }
            Object root = TorchPickle.load(path, bytes(zip, zip.getEntry(prefix + "data.pkl"), path));
            if (!(root instanceof Map<?, ?> dict)) {
                throw new CheckpointFormatException(path, -1, "the pickle is not a state dict (a dict of tensors)");
            }
            Arena arena = Arena.ofAuto();
            Map<String, MemorySegment> storages = new HashMap<>();
            Map<String, CheckpointTensor> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : dict.entrySet()) {
                if (e.getKey() instanceof String name && e.getValue() instanceof TorchPickle.TensorRef t) {
                    MemorySegment storage = storages.computeIfAbsent(t.storage().key(), k -> load(zip, dir, t.storage(), path, arena));
                    out.put(name, view(name, t, storage, path));
                }
            }
            return out;
        } catch (ZipException e) {
            throw new CheckpointFormatException(path, -1, "not a zip archive (" + e.getMessage()
                    + "); checkpoints in PyTorch's legacy pre-1.6 format are not supported");
        } catch (IOException e) {
            throw new CheckpointFormatException(path, -1, "cannot read: " + e);
        }
    }

    private static MemorySegment load(ZipFile zip, String prefix, TorchPickle.StorageRef s, Path path, Arena arena) {
        ZipEntry entry = zip.getEntry(prefix + "data/" + s.key());
        if (entry == null) {
            throw new CheckpointFormatException(path, -1, "storage " + s.key() + " is missing from the archive");
        }
        byte[] b = bytes(zip, entry, path);
        int width = CheckpointTensor.sizeOf(s.dtype());
        if ((long) b.length != s.numel() * width) {
            throw new CheckpointFormatException(path, -1, "storage " + s.key() + " has " + b.length + " bytes, expected "
                    + s.numel() + " " + s.dtype() + " values");
        }
        MemorySegment seg = arena.allocate(Math.max(1, b.length), 64);
        MemorySegment.copy(MemorySegment.ofArray(b), 0, seg, 0, b.length);
        return seg.asSlice(0, b.length);
    }

    private static CheckpointTensor view(String name, TorchPickle.TensorRef t, MemorySegment storage, Path path) {
        long[] size = t.size();
        long expect = 1;
        long numel = 1;
        for (int i = size.length - 1; i >= 0; i--) {
            if (size[i] != 1 && t.stride()[i] != expect) {
                throw new CheckpointFormatException(path, -1, "tensor " + name + " is not contiguous (strides "
                        + java.util.Arrays.toString(t.stride()) + "); re-save it with .contiguous()");
            }
            expect *= size[i];
            numel *= size[i];
        }
        int width = CheckpointTensor.sizeOf(t.storage().dtype());
        long from = t.offset() * width;
        if (t.offset() < 0 || from + numel * width > storage.byteSize()) {
            throw new CheckpointFormatException(path, -1, "tensor " + name + " reaches past the end of its storage " + t.storage().key());
        }
        String dtype = t.storage().dtype();
        return new CheckpointTensor(name, CheckpointTensor.typeOf(dtype), dtype, size, storage.asSlice(from, numel * width), path);
    }

    private static byte[] bytes(ZipFile zip, ZipEntry e, Path path) {
        if (e.getSize() > Integer.MAX_VALUE - 8) {
            throw new CheckpointFormatException(path, -1, "zip entry " + e.getName() + " is larger than 2 GB");
        }
        try (InputStream in = zip.getInputStream(e)) {
            return in.readAllBytes();
        } catch (IOException ex) {
            throw new CheckpointFormatException(path, -1, "cannot read zip entry " + e.getName() + ": " + ex);
        }
    }
}
