package instantid.lora;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import instantid.common.UserException;
import instantid.io.Safetensors;
import instantid.tensor.Weights;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DoRA, metadata alpha and unsupported adapter families, with small hand-made files whose expected
 * weights are computed here in double precision from the formulas (peft's DoRA merge: m * V / ||V||).
 */
class LoraTrustTest {

    @TempDir
    Path tmp;
    NDManager nd;
    Safetensors baseFile;
    Weights weights;
    Map<LoraFile.Net, Lora.Target> targets;

    static final int OUT = 3, IN = 4, R = 2;
    static final float[] W = {0.5f, -1f, 2f, 0.25f, 1f, 1f, -0.5f, 0f, 0.3f, -0.2f, 0.1f, 1.5f};
    static final float[] A = {0.1f, 0.2f, -0.3f, 0.4f, 0.5f, -0.1f, 0.2f, 0.3f};       // [R, IN]
    static final float[] B = {1f, -1f, 0.5f, 0.5f, -2f, 1f};                            // [OUT, R]

    @BeforeEach
    void setUp() throws IOException {
        nd = NDManager.newBaseManager();
        Path base = tmp.resolve("base.safetensors");
        Map<String, Object[]> t = new LinkedHashMap<>();
        t.put("blk.proj.weight", new Object[] {new long[] {OUT, IN}, W});
        write(base, t, null);
        baseFile = Safetensors.open(base);
        weights = new Weights(nd, DataType.FLOAT32).mapAll(baseFile, "");
        targets = Map.of(LoraFile.Net.UNET, new Lora.Target(weights, new ModuleNames(ModuleNames.modulesOf(weights.names()), null)));
    }

    @AfterEach
    void tearDown() {
        weights.close();
        baseFile.close();
        nd.close();
    }

    /** W + s * c * B @ A, as doubles [OUT][IN]. */
    static double[][] merged(double s, double c) {
        double[][] v = new double[OUT][IN];
        for (int i = 0; i < OUT; i++) {
            for (int j = 0; j < IN; j++) {
                double d = 0;
                for (int k = 0; k < R; k++) d += B[i * R + k] * A[k * IN + j];
                v[i][j] = W[i * IN + j] + s * c * d;
            }
        }
        return v;
    }

    private float[] fusedWith(Path lora, double scale) {
        try (Lora l = Lora.apply(List.of(new LoraSpec(lora, scale)), targets, null)) {
            return weights.get("blk.proj.weight").toFloatArray();
        }
    }

    private static void assertClose(double[][] expected, float[] actual) {
        for (int i = 0; i < OUT; i++) {
            for (int j = 0; j < IN; j++) {
                assertEquals(expected[i][j], actual[i * IN + j], 1e-5, "[" + i + "," + j + "]");
            }
        }
    }

    @Test
    void peftDoraIsMagnitudeTimesTheRowNormalisedMergedWeight() throws IOException {
        float[] m = {2f, 0.5f, 3f};
        Path f = tmp.resolve("dora.safetensors");
        Map<String, Object[]> t = new LinkedHashMap<>();
        t.put("unet.blk.proj.lora_A.weight", new Object[] {new long[] {R, IN}, A});
        t.put("unet.blk.proj.lora_B.weight", new Object[] {new long[] {OUT, R}, B});
        t.put("unet.blk.proj.lora_magnitude_vector", new Object[] {new long[] {OUT}, m});
        write(f, t, "{\"unet.r\": 2, \"unet.lora_alpha\": 4, \"unet.use_dora\": true}");
        double scale = 0.7;
        double[][] v = merged(scale, 4.0 / R);
        for (int i = 0; i < OUT; i++) {
            double n = 0;
            for (int j = 0; j < IN; j++) n += v[i][j] * v[i][j];
            n = Math.sqrt(n);
            for (int j = 0; j < IN; j++) v[i][j] = m[i] * v[i][j] / n;
        }
        assertClose(v, fusedWith(f, scale));
        assertArrayEquals(W, weights.get("blk.proj.weight").toFloatArray(), "unloading restores the original");
    }

    @Test
    void lycorisDoraOnTheInputAxisNormalisesColumns() throws IOException {
        float[] m = {1f, 2f, 0.5f, 1.5f};
        Path f = tmp.resolve("dora_in.safetensors");
        Map<String, Object[]> t = new LinkedHashMap<>();
        t.put("lora_unet_blk_proj.lora_down.weight", new Object[] {new long[] {R, IN}, A});
        t.put("lora_unet_blk_proj.lora_up.weight", new Object[] {new long[] {OUT, R}, B});
        t.put("lora_unet_blk_proj.alpha", new Object[] {new long[] {}, new float[] {1f}});
        t.put("lora_unet_blk_proj.dora_scale", new Object[] {new long[] {1, IN}, m});
        write(f, t, null);
        double[][] v = merged(1, 1.0 / R);
        for (int j = 0; j < IN; j++) {
            double n = 0;
            for (int i = 0; i < OUT; i++) n += v[i][j] * v[i][j];
            n = Math.sqrt(n);
            for (int i = 0; i < OUT; i++) v[i][j] = m[j] * v[i][j] / n;
        }
        assertClose(v, fusedWith(f, 1));
    }

    @Test
    void loraAlphaComesFromTheMetadataAndAlphaPattern() throws IOException {
        Path f = tmp.resolve("meta.safetensors");
        Map<String, Object[]> t = new LinkedHashMap<>();
        t.put("unet.blk.proj.lora_A.weight", new Object[] {new long[] {R, IN}, A});
        t.put("unet.blk.proj.lora_B.weight", new Object[] {new long[] {OUT, R}, B});
        write(f, t, "{\"unet.r\": 2, \"unet.lora_alpha\": 8}");
        assertClose(merged(1, 8.0 / R), fusedWith(f, 1));

        Path g = tmp.resolve("pattern.safetensors");
        write(g, t, "{\"r\": 2, \"lora_alpha\": 8, \"alpha_pattern\": {\"proj\": 1}, \"use_rslora\": true}");
        assertClose(merged(1, 1.0 / Math.sqrt(R)), fusedWith(g, 1));

        Path none = tmp.resolve("plain.safetensors");
        write(none, t, null);
        assertClose(merged(1, 1.0), fusedWith(none, 1)); // alpha = rank
    }

    @Test
    void loHaLoKrAndTuckerAreRefusedByNameAndChangeNothing() throws IOException {
        String[][] kinds = {{"lora_unet_blk_proj.hada_w1_a", "LoHa"}, {"lora_unet_blk_proj.lokr_w1", "LoKr"},
                {"lora_unet_blk_proj.lora_mid.weight", "Tucker"}, {"lora_unet_blk_proj.diff", "full weight difference"}};
        for (String[] k : kinds) {
            Path f = tmp.resolve(k[1].replace(' ', '_') + ".safetensors");
            Map<String, Object[]> t = new LinkedHashMap<>();
            t.put("lora_unet_blk_proj.lora_down.weight", new Object[] {new long[] {R, IN}, A});
            t.put("lora_unet_blk_proj.lora_up.weight", new Object[] {new long[] {OUT, R}, B});
            t.put(k[0], new Object[] {new long[] {R, IN}, A});
            write(f, t, null);
            UserException e = assertThrows(UserException.class,
                    () -> Lora.apply(List.of(new LoraSpec(f, 1)), targets, null));
            assertTrue(e.getMessage().contains(k[1]) && e.getMessage().contains(f.toString()), e.getMessage());
            assertArrayEquals(W, weights.get("blk.proj.weight").toFloatArray(), "nothing applied");
        }
    }

    @Test
    void aMagnitudeOfNeitherSizeIsRefused() throws IOException {
        Path f = tmp.resolve("bad_dora.safetensors");
        Map<String, Object[]> t = new LinkedHashMap<>();
        t.put("unet.blk.proj.lora_A.weight", new Object[] {new long[] {R, IN}, A});
        t.put("unet.blk.proj.lora_B.weight", new Object[] {new long[] {OUT, R}, B});
        t.put("unet.blk.proj.lora_magnitude_vector", new Object[] {new long[] {5}, new float[] {1, 1, 1, 1, 1}});
        write(f, t, null);
        UserException e = assertThrows(UserException.class, () -> Lora.apply(List.of(new LoraSpec(f, 1)), targets, null));
        assertTrue(e.getMessage().contains("DoRA magnitude"), e.getMessage());
        assertArrayEquals(W, weights.get("blk.proj.weight").toFloatArray());
    }

    /** A float32 safetensors file: name → {shape, values}; {@code adapterMeta} goes to lora_adapter_metadata. */
    static void write(Path file, Map<String, Object[]> tensors, String adapterMeta) throws IOException {
        StringBuilder h = new StringBuilder("{");
        if (adapterMeta != null) {
            h.append("\"__metadata__\":{\"format\":\"pt\",\"lora_adapter_metadata\":")
                    .append(new com.google.gson.JsonPrimitive(adapterMeta)).append("},");
        }
        long off = 0;
        for (Map.Entry<String, Object[]> e : tensors.entrySet()) {
            long[] shape = (long[]) e.getValue()[0];
            float[] v = (float[]) e.getValue()[1];
            StringBuilder s = new StringBuilder();
            for (long d : shape) s.append(s.length() == 0 ? "" : ",").append(d);
            h.append(h.length() > 1 && h.charAt(h.length() - 1) != ',' ? "," : "").append('"').append(e.getKey())
                    .append("\":{\"dtype\":\"F32\",\"shape\":[").append(s).append("],\"data_offsets\":[")
                    .append(off).append(',').append(off + 4L * v.length).append("]}");
            off += 4L * v.length;
        }
        byte[] hb = h.append('}').toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + hb.length + (int) off).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(hb.length).put(hb);
        for (Object[] t : tensors.values()) for (float x : (float[]) t[1]) b.putFloat(x);
        Files.write(file, b.array());
    }
}
