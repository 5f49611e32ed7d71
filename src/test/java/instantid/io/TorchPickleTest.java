package instantid.io;

import instantid.parity.FixturesTestAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TorchPickleTest {

    @TempDir
    Path tmp;

    @Test
    void readsTheFixtureAdapterBitForBit() {
        Path dir = FixturesTestAccess.requireFixtures().resolve("instantid_adapter_bin");
        try (TensorSource bin = TensorSources.open(dir.resolve("ip-adapter.bin"));
             Safetensors io = Safetensors.open(dir.resolve("io.safetensors"))) {
            assertTrue(bin instanceof TorchPickle);
            assertEquals(io.names(), Set.copyOf(bin.names()));
            for (String n : io.names()) {
                assertArrayEquals(io.info(n).shape(), bin.info(n).shape(), n);
                assertEquals(io.info(n).dtype(), bin.info(n).dtype(), n);
                assertEquals(io.bytes(n), bin.bytes(n), n);
            }
            assertTrue(bin.bytes("image_proj.latents").isDirect(), "stored entries are mapped, not copied to the heap");
        }
    }

    @Test
    void partViewStripsThePrefix() {
        Path bin = FixturesTestAccess.requireFixtures().resolve("instantid_adapter_bin/ip-adapter.bin");
        try (TensorSource whole = TensorSources.open(bin);
             TensorSource part = TensorSources.open(bin, "image_proj")) {
            assertTrue(part.has("latents"));
            assertFalse(part.has("image_proj.latents"));
            long inWhole = whole.names().stream().filter(n -> n.startsWith("image_proj.")).count();
            assertEquals(inWhole, part.names().size());
            assertEquals(whole.bytes("image_proj.proj_in.weight"), part.bytes("proj_in.weight"));
            assertEquals(Set.of("image_proj", "ip_adapter"), PartSource.parts(whole));
        }
        WeightFileException e = assertThrows(WeightFileException.class, () -> TensorSources.open(bin, "nope"));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("image_proj"), e.getMessage());
    }

    @Test
    void forbiddenGlobalIsRejectedAndNothingRuns() throws Exception {
        Path marker = tmp.resolve("pwned");
        PickleOps w = new PickleOps();
        w.op(0x80, 2).global("os", "system").str("touch " + marker).op(0x85, 'R', '.');
        Path f = tmp.resolve("evil.bin");
        w.write(f, false, "little");
        WeightFileException e = assertThrows(WeightFileException.class, () -> TensorSources.open(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("os.system"), e.getMessage());
        assertFalse(Files.exists(marker));

        // the same through STACK_GLOBAL (protocol 4) inside a dict value
        PickleOps w2 = new PickleOps();
        w2.op(0x80, 4, '}', '(').str("x").str("builtins").str("eval").op(0x93).str("1").op(0x85, 'R', 'u', '.');
        Path f2 = tmp.resolve("evil2.bin");
        w2.write(f2, true, null);
        e = assertThrows(WeightFileException.class, () -> TensorSources.open(f2));
        assertTrue(e.getMessage().contains("builtins.eval"), e.getMessage());
    }

    @Test
    void objectBuildingOpcodesAreRejected() throws Exception {
        PickleOps w = new PickleOps();
        // INST opcode: builds an arbitrary class instance without GLOBAL
        w.op(0x80, 2, '(').op('i').op("os\nsystem\n".chars().toArray()).op('.');
        Path f = tmp.resolve("inst.bin");
        w.write(f, false, null);
        WeightFileException e = assertThrows(WeightFileException.class, () -> TensorSources.open(f));
        assertTrue(e.getMessage().contains("not allowed"), e.getMessage());
    }

    @Test
    void truncatedZipIsAClearError() throws Exception {
        Path src = FixturesTestAccess.requireFixtures().resolve("instantid_adapter_bin/ip-adapter.bin");
        byte[] all = Files.readAllBytes(src);
        Path f = tmp.resolve("cut.bin");
        Files.write(f, Arrays.copyOf(all, all.length / 2));
        WeightFileException e = assertThrows(WeightFileException.class, () -> TensorSources.open(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedPickleAndMissingStorageAreClearErrors() throws Exception {
        PickleOps w = new PickleOps();
        w.op(0x80, 2, '}', '(').str("w");  // stops in the middle
        Path f = tmp.resolve("short.bin");
        w.write(f, false, null);
        WeightFileException e = assertThrows(WeightFileException.class, () -> TensorSources.open(f));
        assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("corrupt"), e.getMessage());

        PickleOps w2 = new PickleOps();
        w2.op(0x80, 2, '}').str("w").tensor("FloatStorage", "0", 4, 0, new int[] {4}, new int[] {1}).op('s', '.');
        Path f2 = tmp.resolve("nostorage.bin");
        w2.write(f2, false, null);
        e = assertThrows(WeightFileException.class, () -> TensorSources.open(f2));
        assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("data/0"), e.getMessage());
    }

    @Test
    void stridesOffsetsDtypesAndByteOrder() throws Exception {
        for (boolean big : new boolean[] {false, true}) {
            for (boolean deflate : new boolean[] {false, true}) {
                PickleOps w = new PickleOps();
                // storage of 8 floats 0..7; "t" = rows 1..6 viewed as a transposed [3,2] (stride 1,3) at offset 1
                ByteBuffer fb = ByteBuffer.allocate(32).order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < 8; i++) fb.putFloat(i);
                w.storages.put("0", fb.array());
                ByteBuffer hb = ByteBuffer.allocate(4).order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                hb.putShort(Half.fromFloat(1.5f)).putShort(Half.fromFloat(-2f));
                w.storages.put("1", hb.array());
                ByteBuffer lb = ByteBuffer.allocate(16).order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                lb.putLong(7).putLong(-3);
                w.storages.put("2", lb.array());
                w.op(0x80, 2).global("collections", "OrderedDict").op(')', 'R', '(');
                w.str("t").tensor("FloatStorage", "0", 8, 1, new int[] {3, 2}, new int[] {1, 3});
                w.str("dense").tensor("FloatStorage", "0", 8, 2, new int[] {2, 2}, new int[] {2, 1});
                w.str("sub").op('}', '(').str("h");
                // a parameter wrapping a half tensor
                w.global("torch._utils", "_rebuild_parameter").op('(');
                w.tensor("HalfStorage", "1", 2, 0, new int[] {2}, new int[] {1});
                w.op(0x88).global("collections", "OrderedDict").op(')', 'R', 't', 'R');
                w.str("ids").tensor("LongStorage", "2", 2, 0, new int[] {2}, new int[] {1});
                w.str("step").integer(5);
                w.op('u', 'u', '}', 'b', '.'); // BUILD with an empty state (as state_dict._metadata)
                Path f = tmp.resolve("t" + big + deflate + ".bin");
                w.write(f, deflate, big ? "big" : "little");
                try (TensorSource s = TensorSources.open(f)) {
                    assertEquals(Set.of("t", "dense", "sub.h", "sub.ids"), s.names());
                    assertArrayEquals(new long[] {3, 2}, s.info("t").shape());
                    assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, floats(s.bytes("t"), 6));
                    assertArrayEquals(new float[] {2, 3, 4, 5}, floats(s.bytes("dense"), 4));
                    assertEquals(DType.F16, s.info("sub.h").dtype());
                    ByteBuffer h = s.bytes("sub.h").order(ByteOrder.LITTLE_ENDIAN);
                    assertEquals(1.5f, Half.toFloat(h.getShort(0)));
                    assertEquals(-2f, Half.toFloat(h.getShort(2)));
                    assertEquals(DType.I64, s.info("sub.ids").dtype());
                    assertEquals(-3L, s.bytes("sub.ids").order(ByteOrder.LITTLE_ENDIAN).getLong(8));
                }
            }
        }
    }

    @Test
    void otherFormatsAreNamed() throws Exception {
        Path onnx = tmp.resolve("scrfd.onnx");
        Files.write(onnx, new byte[] {0x08, 0x07, 0x12, 0x07, 'p', 'y', 't', 'o', 'r', 'c', 'h'});
        WeightFileException e = assertThrows(WeightFileException.class, () -> TensorSources.open(onnx));
        assertTrue(e.getMessage().contains("ONNX"), e.getMessage());
        Path legacy = tmp.resolve("old.ckpt");
        Files.write(legacy, new byte[] {(byte) 0x80, 2, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46});
        e = assertThrows(WeightFileException.class, () -> TensorSources.open(legacy));
        assertTrue(e.getMessage().contains("legacy") && e.getMessage().contains("old.ckpt"), e.getMessage());
        Path text = tmp.resolve("notes.ckpt");
        Files.writeString(text, "hello world, not weights");
        e = assertThrows(WeightFileException.class, () -> TensorSources.open(text));
        assertTrue(e.getMessage().contains("not a weight file"), e.getMessage());
    }

    private static float[] floats(ByteBuffer b, int n) {
        b = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = b.getFloat(i * 4);
        return out;
    }
}
