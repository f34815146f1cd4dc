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
            if (order != null && !new String(bytes(zip, order, path, 64), StandardCharsets.US_ASCII).strip().equals("little")) {
                throw new CheckpointFormatException(path, -1, "big-endian checkpoints are not supported");
            }
            Object root = TorchPickle.load(path, bytes(zip, zip.getEntry(prefix + "data.pkl"), path, MAX_PICKLE));
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
        int width = CheckpointTensor.sizeOf(s.dtype());
        if (s.numel() < 0 || s.numel() > (Integer.MAX_VALUE - 8) / width) {
            throw new CheckpointFormatException(path, -1, "storage " + s.key() + " declares " + s.numel() + " " + s.dtype()
                    + " values; at most 2 GB a storage is supported");
        }
        long expected = s.numel() * width;
        if (entry.getSize() >= 0 && entry.getSize() != expected) {
            throw new CheckpointFormatException(path, -1, "storage " + s.key() + " has " + entry.getSize() + " bytes, expected "
                    + s.numel() + " " + s.dtype() + " values");
        }
        byte[] b = bytes(zip, entry, path, expected);
        if ((long) b.length != expected) {
            throw new CheckpointFormatException(path, -1, "storage " + s.key() + " has " + b.length + " bytes, expected "
                    + s.numel() + " " + s.dtype() + " values");
        }
        MemorySegment seg = arena.allocate(Math.max(1, b.length), 64);
        MemorySegment.copy(MemorySegment.ofArray(b), 0, seg, 0, b.length);
        return seg.asSlice(0, b.length);
    }

    private static CheckpointTensor view(String name, TorchPickle.TensorRef t, MemorySegment storage, Path path) {
        long[] size = t.size();
        if (t.stride().length != size.length || size.length > 8) {
            throw new CheckpointFormatException(path, -1, "tensor " + name + " has " + size.length + " sizes and " + t.stride().length
                    + " strides (at most 8 of each, as many of one as the other)");
        }
        for (long d : size) {
            if (d < 0 || d > storage.byteSize()) {
                throw new CheckpointFormatException(path, -1, "tensor " + name + " has an impossible size " + java.util.Arrays.toString(size));
            }
        }
        long expect = 1;
        long numel = 1;
        for (int i = size.length - 1; i >= 0; i--) {
            if (size[i] != 1 && t.stride()[i] != expect) {
                throw new CheckpointFormatException(path, -1, "tensor " + name + " is not contiguous (strides "
                        + java.util.Arrays.toString(t.stride()) + "); re-save it with .contiguous()");
            }
            if (size[i] != 0 && numel > storage.byteSize() / size[i]) {
                throw new CheckpointFormatException(path, -1, "tensor " + name + " of size " + java.util.Arrays.toString(size)
                        + " is larger than its storage " + t.storage().key());
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

    /** data.pkl of the largest checkpoints is a few MB; more is refused before it is inflated. */
    static final long MAX_PICKLE = 64L << 20;

    /**
     * An entry's bytes, never more than {@code cap}: a zip's declared sizes can lie (a bomb inflates a few
     * KB into gigabytes), so the inflated stream is cut at the cap whatever the header says.
     */
    private static byte[] bytes(ZipFile zip, ZipEntry e, Path path, long cap) {
        if (e.getSize() > cap) {
            throw new CheckpointFormatException(path, -1, "zip entry " + e.getName() + " declares " + e.getSize() + " bytes, more than the "
                    + cap + " it may hold");
        }
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes((int) Math.min(cap + 1, Integer.MAX_VALUE - 8));
            if (b.length > cap) {
                throw new CheckpointFormatException(path, -1, "zip entry " + e.getName() + " inflates to more than the " + cap
                        + " bytes it may hold (its header said " + e.getSize() + ")");
            }
            return b;
        } catch (IOException ex) {
            throw new CheckpointFormatException(path, -1, "cannot read zip entry " + e.getName() + ": " + ex);
        }
    }
}
