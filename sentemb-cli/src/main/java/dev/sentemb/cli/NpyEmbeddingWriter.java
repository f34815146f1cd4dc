package dev.sentemb.cli;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A NumPy {@code .npy} file (format 1.0): float32, little-endian, shape (rows, dim). The row count is
 * known only at the end, so rows go to a raw temporary file first and the header is written last.
 * Beside it, {@code NAME.lines.npy} (int64, shape (rows,)) holds each row's 1-based input line, so rows map
 * back to their lines when some were skipped.
 */
final class NpyEmbeddingWriter implements EmbeddingWriter {
    private final Path target;
    private final Path raw;
    private final boolean mkdirs;
    private final DataOutputStream out;
    private final java.io.ByteArrayOutputStream lines = new java.io.ByteArrayOutputStream();
    private ByteBuffer buf;
    private long rows;
    private int dim = -1;

    NpyEmbeddingWriter(Path target, boolean mkdirs) throws IOException {
        this.target = target;
        this.mkdirs = mkdirs;
        this.raw = OutputFiles.temporaryFor(target, mkdirs);
        this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(raw), 1 << 16));
    }

    @Override
    public void write(long line, String text, float[] embedding) throws IOException {
        if (dim < 0) {
            dim = embedding.length;
            buf = ByteBuffer.allocate(4 * dim).order(ByteOrder.LITTLE_ENDIAN);
        } else if (embedding.length != dim) {
            throw new IOException("embedding of length " + embedding.length + " in a file of width " + dim);
        }
        buf.clear();
        buf.asFloatBuffer().put(embedding);
        out.write(buf.array(), 0, 4 * dim);
        byte[] l = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(line).array();
        lines.write(l, 0, 8);
        rows++;
    }

    @Override
    public void commit() throws IOException {
        out.close();
        Path tmp = OutputFiles.temporaryFor(target, mkdirs);
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
             InputStream in = Files.newInputStream(raw)) {
            o.write(header("<f4", "(" + rows + ", " + Math.max(dim, 0) + ")"));
            in.transferTo(o);
        }
        Files.deleteIfExists(raw);
        Path linesFile = linesFileFor(target);
        Path linesTmp = OutputFiles.temporaryFor(linesFile, mkdirs);
        try (OutputStream o = Files.newOutputStream(linesTmp)) {
            o.write(header("<i8", "(" + rows + ",)"));
            lines.writeTo(o);
        }
        OutputFiles.moveIntoPlace(linesTmp, linesFile);
        OutputFiles.moveIntoPlace(tmp, target);
    }

    /** {@code v.npy} → {@code v.lines.npy}. */
    static Path linesFileFor(Path target) {
        String name = target.getFileName().toString();
        return target.resolveSibling(name.substring(0, name.length() - ".npy".length()) + ".lines.npy");
    }

    static byte[] header(long rows, int dim) {
        return header("<f4", "(" + rows + ", " + dim + ")");
    }

    static byte[] header(String descr, String shape) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = 10 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String h = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + h.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) h.length());
        b.put(h.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    @Override
    public void close() throws IOException {
        out.close();
        Files.deleteIfExists(raw);
    }
}
