package instantid.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A folder of hostile weight files made by test code: cycles, depth, fan-out ("billion laughs"),
 * copy and stack floods, deflate bombs, lying sizes, and code-executing globals in every opcode
 * form. {@link #write} returns file name → a fragment the refusal must contain. One good file
 * ({@value #GOOD}) shows that the harness loads what it should.
 */
final class HostileFiles {

    static final String GOOD = "good.bin";

    private final Path dir;
    private final Path marker;
    private final Map<String, String> expect = new LinkedHashMap<>();

    private HostileFiles(Path dir) {
        this.dir = dir;
        this.marker = dir.resolve("PWNED");
    }

    /** Writes every file into {@code dir}; a file {@code PWNED} in it would mean code ran. */
    static Map<String, String> write(Path dir) throws IOException {
        HostileFiles h = new HostileFiles(dir);
        h.all();
        return h.expect;
    }

    private void all() throws IOException {
        // --- the control: one tensor, loads
        PickleOps good = dictWithTensor();
        save(GOOD, good.op('s', '.'), false, null);

        // --- cycles: a dict containing itself, a list containing itself
        save("cycle_dict.bin", new PickleOps().op(0x80, 2, '}', 'q', 0).str("w").tensor1().op('s').str("self")
                .op('h', 0, 's', '.'), false, "contains itself");
        save("cycle_list.bin", new PickleOps().op(0x80, 2, '}').str("l").op(']', 'q', 1).tensor1().op('a', 'h', 1, 'a', 's', '.'),
                false, "contains itself");
        // a list that contains itself used as a dict key (hashing it would never end)
        save("cycle_key.bin", new PickleOps().op(0x80, 2, '}', ']', 'q', 1, 'h', 1, 'a').tensor1().op('s', '.'),
                false, "dict key");

        // --- depth: 200 000 nested lists, 100 000 nested dicts
        PickleOps deep = new PickleOps().op(0x80, 2, '}').str("deep");
        for (int i = 0; i < 200_000; i++) deep.op(']');
        deep.tensor1().op('a');
        for (int i = 0; i < 199_999; i++) deep.op('a');
        save("deep_lists.bin", deep.op('s', '.'), false, "nested more than");
        PickleOps deepD = new PickleOps().op(0x80, 2, '}');
        for (int i = 0; i < 100_000; i++) deepD.op('X', 1, 0, 0, 0, 'k', '}');
        deepD.str("w").tensor1().op('s');
        for (int i = 0; i < 100_000; i++) deepD.op('s');
        save("deep_dicts.bin", deepD.op('.'), true, "nested more than");

        // --- fan-out: 30 levels of 10 references to the level below, a tensor at the bottom (10^30 paths)
        PickleOps laughs = new PickleOps().op(0x80, 2, '}').str("lol").op(']').tensor1().op('a', 'r', 0, 0, 0, 0, '0');
        for (int lvl = 1; lvl <= 30; lvl++) {
            laughs.op('(');
            for (int i = 0; i < 10; i++) laughs.op('j', lvl - 1, 0, 0, 0);
            laughs.op('l', 'r', lvl, 0, 0, 0);
            if (lvl < 30) laughs.op('0');
        }
        save("billion_laughs.bin", laughs.op('s', '.'), false, "second reference");
        // the same without tensors, copied by builtins.list(): each copy of a 1M list costs 1M
        PickleOps copies = new PickleOps().op(0x80, 2).global("builtins", "list").op('q', 0, ']', 'q', 1, '(');
        for (int i = 0; i < 1_000_000; i++) copies.op('N');
        copies.op('e');
        for (int i = 0; i < 1_000; i++) copies.op('h', 0, 'h', 1, 0x85, 'R', '0');
        save("copy_bomb.bin", copies.op('0', '}', '.'), true, "objects");
        // a stack flooded by DUP and a memo flooded by PUT
        PickleOps dup = new PickleOps().op(0x80, 2, ']');
        for (int i = 0; i < 6_000_000; i++) dup.op('2');
        save("stack_flood.bin", dup.op('.'), true, "objects");
        PickleOps memo = new PickleOps().op(0x80, 2, ']');
        for (int i = 0; i < 1_200_000; i++) memo.op('r', i & 0xff, (i >> 8) & 0xff, (i >> 16) & 0xff, 0);
        save("memo_flood.bin", memo.op('.'), true, "memoizes");
        PickleOps bigInt = new PickleOps().op(0x80, 2, 'L');
        for (int i = 0; i < 2_000_000; i++) bigInt.op('9');
        save("huge_int.bin", bigInt.op('\n', '.'), true, "integer of");

        // --- deflate bombs and lying sizes
        PickleOps zeros = new PickleOps().op(0x80, 2, 'B', 0, 0, 0x60, 0x04); // BINBYTES of 70 MiB of zeros
        zeros.pkl.write(new byte[70 << 20], 0, 70 << 20);
        save("pickle_deflate_bomb.bin", zeros.op('.'), true, "declares");
        Path f = save("pickle_declares_2gb.bin", dictWithTensor().op('s', '.'), true, "beyond what deflate can do");
        patchCentralSize(f, "archive/data.pkl", 2_000_000_000L);
        f = save("pickle_declares_less.bin", dictWithTensor().op('s', '.'), true, "more than");
        patchCentralSize(f, "archive/data.pkl", 10);
        f = save("stored_size_lies.bin", dictWithTensor().op('s', '.'), false, "sizes lie");
        patchCentralSize(f, "archive/data/0", 1_000_000);
        PickleOps bomb = new PickleOps().op(0x80, 2, '}').str("w")
                .tensor("FloatStorage", "0", 300_000_000, 0, new int[] {300_000_000}, new int[] {1}).op('s', '.');
        byte[] noise = new byte[1_300_000];
        new Random(1).nextBytes(noise);
        bomb.storages.put("0", noise);
        f = save("storage_declares_1_2gb.bin", bomb, true, "deflate bomb");
        patchCentralSize(f, "archive/data/0", 1_200_000_000L);
        PickleOps huge = new PickleOps().op(0x80, 2, '}').str("w")
                .tensor("FloatStorage", "0", 4, 0, new int[] {1 << 30, 1 << 30, 1 << 30}, new int[] {1, 1, 1}).op('s', '.');
        huge.storages.put("0", new byte[16]);
        save("shape_overflow.bin", huge, false, "overflow");
        PickleOps past = new PickleOps().op(0x80, 2, '}').str("w")
                .tensor("FloatStorage", "0", 4, 3, new int[] {4}, new int[] {1}).op('s', '.');
        past.storages.put("0", new byte[16]);
        save("tensor_past_storage.bin", past, false, "reads up to byte");
        save("empty_state_dict.bin", new PickleOps().op(0x80, 2, '}', '.'), false, "no tensors");

        // --- code-executing globals in every opcode form; nothing may run (the marker stays absent)
        String cmd = "touch " + marker;
        save("global_os_system.bin", new PickleOps().op(0x80, 2).global("os", "system").str(cmd).op(0x85, 'R', '.'),
                false, "os.system");
        save("stack_global_eval.bin", new PickleOps().op(0x80, 4, '}').str("x").str("builtins").str("eval").op(0x93)
                .str("__import__('os').system('" + cmd + "')").op(0x85, 'R', 's', '.'), true, "builtins.eval");
        save("inst_os_system.bin", new PickleOps().op(0x80, 2, '(').str(cmd).op('i')
                .op(bytes("os\nsystem\n")).op('.'), false, "not allowed");
        save("obj_os_system.bin", new PickleOps().op(0x80, 2, '(').global("os", "system").str(cmd).op('o', '.'),
                false, "os.system");
        save("obj_allowed_class.bin", new PickleOps().op(0x80, 2, '(').global("collections", "OrderedDict").op('o', '.'),
                false, "not allowed");
        save("newobj_ex.bin", new PickleOps().op(0x80, 4).global("collections", "OrderedDict").op(')', '}', 0x92, '.'),
                false, "not allowed");
        save("newobj_storage.bin", new PickleOps().op(0x80, 2).global("torch", "FloatStorage").op(')', 0x81, '.'),
                false, "FloatStorage");
        save("reduce_storage_class.bin", new PickleOps().op(0x80, 2).global("torch", "FloatStorage").integer(4)
                .op(0x85, 'R', '.'), false, "FloatStorage");
        save("reduce_string.bin", new PickleOps().op(0x80, 2).str("os.system").str(cmd).op(0x85, 'R', '.'),
                false, "String");
        save("reduce_getattr.bin", new PickleOps().op(0x80, 2).global("builtins", "getattr").op(')', 'R', '.'),
                false, "builtins.getattr");
        save("reduce_torch_load.bin", new PickleOps().op(0x80, 2).global("torch", "load").str("x").op(0x85, 'R', '.'),
                false, "torch.load");
        save("build_on_tensor.bin", new PickleOps().op(0x80, 2, '}').str("w").tensor1()
                .op('}').str("__class__").str("x").op('s', 'b', 's', '.'), false, "BUILD");
        save("build_state_global.bin", new PickleOps().op(0x80, 2, '}').str("w").tensor1()
                .op('}').str("__class__").global("os", "system").op('s', 'b', 's', '.'), false, "os.system");
        save("build_setstate_list.bin", new PickleOps().op(0x80, 2, ']', '}', 'b', '.'), false, "BUILD");
        save("ext1.bin", new PickleOps().op(0x80, 2, 0x82, 1, '.'), false, "EXT1");
        save("ext2.bin", new PickleOps().op(0x80, 2, 0x83, 1, 0, '.'), false, "EXT2");
        save("ext4.bin", new PickleOps().op(0x80, 2, 0x84, 1, 0, 0, 0, '.'), false, "EXT4");
        save("persid_text.bin", new PickleOps().op(0x80, 2, 'P').op(bytes("os.system\n")).op('.'), false, "PERSID");
        save("binpersid_string.bin", new PickleOps().op(0x80, 2).str(cmd).op('Q', '.'), false, "persistent id");
        save("binpersid_dict_class.bin", new PickleOps().op(0x80, 2, '(').str("storage").global("builtins", "dict")
                .str("0").str("cpu").integer(1).op('t', 'Q', '.'), false, "persistent id");
        save("binpersid_global_class.bin", new PickleOps().op(0x80, 2, '(').str("storage").global("os", "system")
                .str("0").str("cpu").integer(1).op('t', 'Q', '.'), false, "os.system");

        // --- safetensors: a header nested 100 000 deep, a header longer than the file
        raw("deep_header.safetensors", safetensors("{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000)), "header");
        ByteBuffer lie = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        raw("header_length_lies.safetensors", lie.array(), "header length");
    }

    /** {@code ( '}' "w" tensor }: a dict with one 4-float tensor, SETITEM still to write. */
    private static PickleOps dictWithTensor() {
        PickleOps w = new PickleOps().op(0x80, 2, '}').str("w");
        w.tensor1();
        return w;
    }

    private Path save(String name, PickleOps w, boolean deflate, String fragment) throws IOException {
        if (w.storages.isEmpty()) w.storages.put("0", new byte[16]);
        Path f = dir.resolve(name);
        w.write(f, deflate, "little");
        expect.put(name, fragment);
        return f;
    }

    private void raw(String name, byte[] content, String fragment) throws IOException {
        Files.write(dir.resolve(name), content);
        expect.put(name, fragment);
    }

    private static byte[] safetensors(String header) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

    private static int[] bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) out[i] = b[i];
        return out;
    }

    /** Rewrites the uncompressed size that the zip's central directory declares for {@code entry}. */
    static void patchCentralSize(Path zip, String entry, long size) throws IOException {
        byte[] all = Files.readAllBytes(zip);
        byte[] name = entry.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = all.length - 46; i >= 0; i--) {
            if (b.getInt(i) != 0x02014b50 || (b.getShort(i + 28) & 0xffff) != name.length) continue;
            if (!Arrays.equals(Arrays.copyOfRange(all, i + 46, i + 46 + name.length), name)) continue;
            if (size <= 0xfffffffeL) {
                try (FileChannel ch = FileChannel.open(zip, StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) size), i + 24);
                }
                return;
            }
            // over 4 GiB: the zip64 way (0xffffffff + an extra field); rewrite the file with one
            throw new IllegalArgumentException("patchCentralSize: sizes over 4 GiB need zip64; use a smaller lie");
        }
        throw new IllegalArgumentException(zip + ": no central entry " + entry);
    }
}
