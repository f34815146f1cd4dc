package dev.sentemb.weights;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GgmlTypeTest {
    /**
     * Ids and block geometry against gguf-py's GGML_QUANT_SIZES. Q8_1 is the one known
     * difference: gguf-py still lists its old 40-byte layout (fp32 d and s), ggml stores fp16 d
     * and s since 2024 (36 bytes); Q8_1 never appears in files.
     */
    @Test
    void sizesMatchGgufPy() throws Exception {
        JsonNode sizes = GgufRealFilesTest.expected().get("quantSizes");
        int seen = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = sizes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            GgmlType t = GgmlType.valueOf(e.getKey());
            assertEquals(e.getValue().get(0).asInt(), t.blockSize(), t + " block size");
            if (t != GgmlType.Q8_1) {
                assertEquals(e.getValue().get(1).asInt(), t.typeSize(), t + " type size");
            }
            seen++;
        }
        assertEquals(GgmlType.values().length, seen, "every ggml type is known to gguf-py and vice versa");
        assertEquals(36, GgmlType.Q8_1.typeSize());
    }

    @Test
    void idsRoundTrip() {
        for (GgmlType t : GgmlType.values()) {
            assertSame(t, GgmlType.fromId(t.id()));
        }
        assertEquals(30, GgmlType.BF16.id());
        assertEquals(12, GgmlType.Q4_K.id());
        for (int retired : new int[] {4, 5, 31, 32, 33, 36, 37, 38, -1, 1000}) {
            assertThrows(IllegalArgumentException.class, () -> GgmlType.fromId(retired), "id " + retired);
        }
    }

    @Test
    void byteSizeIsChecked() {
        assertEquals(4 * 144, GgmlType.Q4_K.byteSize(1024));
        assertEquals(34 * 18, GgmlType.Q8_0.byteSize(576));
        assertEquals(0, GgmlType.Q8_0.byteSize(0));
        assertEquals(8, GgmlType.F16.byteSize(4));
        assertThrows(IllegalArgumentException.class, () -> GgmlType.Q4_K.byteSize(128));
        assertThrows(IllegalArgumentException.class, () -> GgmlType.F32.byteSize(-1));
        assertThrows(ArithmeticException.class, () -> GgmlType.Q8_0.byteSize(Long.MAX_VALUE / 32 * 32));
        assertTrue(GgmlType.Q6_K.decodable());
        assertFalse(GgmlType.IQ4_XS.decodable());
        assertTrue(GgmlType.Q4_0.quantized());
        assertFalse(GgmlType.BF16.quantized());
    }
}
