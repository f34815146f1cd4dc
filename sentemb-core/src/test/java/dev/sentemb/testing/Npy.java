package dev.sentemb.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the 2-D little-endian float32 .npy fixtures the oracle writes. */
public final class Npy {
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\((\\d+),\\s*(\\d+)\\)");

    private Npy() {}

    public static float[][] readMatrix(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if ((all[0] & 0xff) != 0x93 || !new String(all, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IOException("not a .npy file");
        }
        int major = all[6];
        int headerLen = major == 1 ? Short.toUnsignedInt(b.getShort(8)) : b.getInt(8);
        int start = major == 1 ? 10 : 12;
        String header = new String(all, start, headerLen, StandardCharsets.US_ASCII);
        if (!header.contains("'descr': '<f4'") || header.contains("'fortran_order': True")) {
            throw new IOException("expected C-order little-endian float32, header: " + header);
        }
        Matcher m = SHAPE.matcher(header);
        if (!m.find()) {
            throw new IOException("expected a 2-D shape, header: " + header);
        }
        int rows = Integer.parseInt(m.group(1));
        int cols = Integer.parseInt(m.group(2));
        b.position(start + headerLen);
        float[][] out = new float[rows][cols];
        for (float[] row : out) {
            b.asFloatBuffer().get(row);
            b.position(b.position() + 4 * cols);
        }
        return out;
    }
}
