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
 */
final class NpyEmbeddingWriter implements EmbeddingWriter {
    private final Path target;
    private final Path raw;
    private final DataOutputStream out;
    private ByteBuffer buf;
    private long rows;
    private int dim = -1;

    NpyEmbeddingWriter(Path target) throws IOException {
        this.target = target;
        this.raw = OutputFiles.temporaryFor(target);
        this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(raw), 1 << 16));
    }

    @Override
    public void write(String text, float[] embedding) throws IOException {
        if (dim < 0) {
            dim = embedding.length;
            buf = ByteBuffer.allocate(4 * dim).order(ByteOrder.LITTLE_ENDIAN);
        } else if (embedding.length != dim) {
            throw new IOException("embedding of length " + embedding.length + " in a file of width " + dim);
        }
        buf.clear();
        buf.asFloatBuffer().put(embedding);
        out.write(buf.array(), 0, 4 * dim);
        rows++;
    }

    @Override
    public void commit() throws IOException {
        out.close();
        Path tmp = OutputFiles.temporaryFor(target);
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
             InputStream in = Files.newInputStream(raw)) {
            o.write(header(rows, Math.max(dim, 0)));
            in.transferTo(o);
        }
        Files.deleteIfExists(raw);
        OutputFiles.moveIntoPlace(tmp, target);
    }

    static byte[] header(long rows, int dim) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + dim + "), }";
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
