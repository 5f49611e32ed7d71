package instantid.io;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A restricted pickle reader for tensor state dicts (protocols 0..5). It never executes anything:
 * the only globals it accepts are {@code collections.OrderedDict}, {@code builtins.dict/list/tuple},
 * {@code torch._utils._rebuild_tensor_v2}, {@code torch._utils._rebuild_parameter} and the
 * {@code torch.*Storage} classes (as persistent ids); any other global — and every opcode that would
 * call or build an arbitrary object — is refused with the file and the global named.
 * Values come out as plain Java data: String, Long, BigInteger, Double, Boolean, null, byte[],
 * {@link List} (lists), {@link Tuple}, {@link Map} (dicts, insertion-ordered), {@link Tensor}.
 */
final class Unpickler {

    /** A pickled tuple. */
    record Tuple(List<Object> items) {
    }

    /** A storage named by persistent id: {@code ('storage', torch.FloatStorage, key, location, numel)}. */
    record Storage(DType dtype, String key, long numel) {
    }

    /** {@code _rebuild_tensor_v2(storage, offset, size, stride, ...)}, not yet read. */
    record Tensor(Storage storage, long offset, long[] shape, long[] stride) {
    }

    /** An allowed global. */
    private record Global(String module, String name, DType storageType) {
        String qualified() {
            return module + "." + name;
        }
    }

    /** Most values (pushes, container slots, memo entries, copies) one pickle may make: a state dict needs ~15 per tensor. */
    static final long MAX_OBJECTS = 5_000_000;
    /** Most tensors one state dict may hold (SDXL has ~2 500; a whole training checkpoint tens of thousands). */
    static final int MAX_TENSORS = 200_000;
    /** Longest integer (digits or bytes) a pickle may write; Python itself caps int/str conversion at 4300 digits. */
    static final int MAX_INT_LENGTH = 4300;
    /** Most memo entries (a state dict memoizes about five per tensor). */
    static final int MAX_MEMO = 1_000_000;

    private final Path file;
    private final String entry;
    private final byte[] b;
    private int p;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private long objects;
    private int tensors;

    private Unpickler(Path file, String entry, byte[] data) {
        this.file = file;
        this.entry = entry;
        this.b = data;
    }

    /** Reads one pickle; {@code entry} is the name of the pickle inside {@code file}, for messages. */
    static Object load(Path file, String entry, byte[] data) {
        Unpickler u = new Unpickler(file, entry, data);
        try {
            return u.run();
        } catch (IndexOutOfBoundsException | ClassCastException | NumberFormatException | ArithmeticException e) {
            throw u.error("malformed pickle at byte " + u.p + " (" + e + "): the file is corrupt");
        } catch (StackOverflowError | OutOfMemoryError e) {
            // a last line of defence: the limits below should stop every hostile file before this
            u.stack.clear();
            u.memo.clear();
            throw u.error("the pickle needs more " + (e instanceof StackOverflowError ? "nesting" : "memory")
                    + " than a state dict ever does (at byte " + u.p + "); refusing to load it");
        }
    }

    private WeightFileException error(String what) {
        return WeightFileException.of(file, entry + ": " + what);
    }

    private Object run() {
        while (true) {
            if (p >= b.length) throw error("ends without STOP: the pickle is truncated");
            int op = b[p++] & 0xff;
            switch (op) {
                case 0x80: p++; break;                              // PROTO
                case 0x95: p += 8; break;                           // FRAME
                case '.': return pop();                             // STOP
                case '(': marks.add(stack.size()); break;           // MARK
                case '0': pop(); break;                             // POP
                case '1': popMark(); break;                         // POP_MARK
                case '2': push(peek()); break;                      // DUP
                case 'N': push(null); break;
                case 0x88: push(Boolean.TRUE); break;
                case 0x89: push(Boolean.FALSE); break;
                case 'J': push((long) i32()); break;                // BININT
                case 'K': push((long) u8()); break;                 // BININT1
                case 'M': push((long) u16()); break;                // BININT2
                case 0x8a: push(longN(u8())); break;                // LONG1
                case 0x8b: push(longN(i32())); break;               // LONG4
                case 'I': push(intLine(line())); break;             // INT
                case 'L': push(bigLine(line())); break;             // LONG
                case 'G': push(Double.longBitsToDouble(be64())); break; // BINFLOAT
                case 'F': push(Double.parseDouble(line())); break;  // FLOAT
                case 'X': push(str(i32())); break;                  // BINUNICODE
                case 0x8c: push(str(u8())); break;                  // SHORT_BINUNICODE
                case 0x8d: push(str(len64())); break;               // BINUNICODE8
                case 'V': push(line()); break;                      // UNICODE (raw-unicode-escape, ASCII in practice)
                case 'T': push(latin1(i32())); break;               // BINSTRING
                case 'U': push(latin1(u8())); break;                // SHORT_BINSTRING
                case 'S': push(unquote(line())); break;             // STRING
                case 'B': push(bytes(i32())); break;                // BINBYTES
                case 'C': push(bytes(u8())); break;                 // SHORT_BINBYTES
                case 0x8e: push(bytes(len64())); break;             // BINBYTES8
                case 0x96: push(bytes(len64())); break;             // BYTEARRAY8
                case '}': push(new LinkedHashMap<>()); break;       // EMPTY_DICT
                case ']': push(new ArrayList<>()); break;           // EMPTY_LIST
                case ')': push(new Tuple(List.of())); break;        // EMPTY_TUPLE
                case 0x8f: push(new ArrayList<>()); break;          // EMPTY_SET (as a list)
                case 'd': push(dict(popMark())); break;             // DICT
                case 'l': push(counted(popMark())); break;          // LIST
                case 't': push(new Tuple(counted(popMark()))); break; // TUPLE
                case 0x91: push(counted(popMark())); break;         // FROZENSET (as a list)
                case 0x85: push(tuple(1)); break;
                case 0x86: push(tuple(2)); break;
                case 0x87: push(tuple(3)); break;
                case 'a': { Object v = pop(); count(1); list(peek()).add(v); break; }      // APPEND
                case 'e': case 0x90: { List<Object> v = counted(popMark()); list(peek()).addAll(v); break; } // APPENDS, ADDITEMS
                case 's': { Object v = pop(); Object k = pop(); count(1); map(peek()).put(key(k), v); break; } // SETITEM
                case 'u': {                                          // SETITEMS
                    List<Object> kv = counted(popMark());
                    Map<Object, Object> m = map(peek());
                    for (int i = 0; i + 1 < kv.size(); i += 2) m.put(key(kv.get(i)), kv.get(i + 1));
                    break;
                }
                case 'p': memo(Long.parseLong(line()), peek()); break;         // PUT
                case 'q': memo((long) u8(), peek()); break;                    // BINPUT
                case 'r': memo((long) i32() & 0xffffffffL, peek()); break;     // LONG_BINPUT
                case 0x94: memo((long) memo.size(), peek()); break;            // MEMOIZE
                case 'g': push(memo(Long.parseLong(line()))); break;           // GET
                case 'h': push(memo(u8())); break;                             // BINGET
                case 'j': push(memo((long) i32() & 0xffffffffL)); break;       // LONG_BINGET
                case 'c': {                                                    // GLOBAL
                    String module = line();
                    push(global(module, line()));
                    break;
                }
                case 0x93: {                                                   // STACK_GLOBAL
                    Object name = pop(), module = pop();
                    if (!(name instanceof String) || !(module instanceof String)) throw error("STACK_GLOBAL without strings");
                    push(global((String) module, (String) name));
                    break;
                }
                case 'R': { Object args = pop(); Object f = pop(); push(reduce(f, args)); break; } // REDUCE
                case 0x81: { Object args = pop(); Object cls = pop(); push(reduce(cls, args)); break; } // NEWOBJ
                case 'b': {                                                    // BUILD
                    Object state = pop();
                    Object target = peek();
                    // an OrderedDict's instance dict (state_dict._metadata): data only, ignored
                    if (!(target instanceof Map) || !(state == null || state instanceof Map || state instanceof Tuple)) {
                        throw error("BUILD on " + describe(target) + " is not part of a tensor state dict; refusing to load");
                    }
                    break;
                }
                case 'Q': push(persistent(pop())); break;                      // BINPERSID
                case 'P': throw error("text persistent ids (PERSID) are not used by torch.save; refusing to load");
                case 0x82: case 0x83: case 0x84:                               // EXT1, EXT2, EXT4
                    throw error("extension-registry opcode (EXT" + (op == 0x82 ? 1 : op == 0x83 ? 2 : 4) + ") names a Python"
                            + " global by code; a tensor state dict never uses it; refusing to load (nothing was executed)");
                default:
                    throw error(String.format("opcode 0x%02x ('%s') at byte %d is not allowed in a tensor state dict"
                            + " (it would build or call arbitrary objects); refusing to load", op,
                            op >= 32 && op < 127 ? String.valueOf((char) op) : "?", p - 1));
            }
        }
    }

    private Global global(String module, String name) {
        if ((module.equals("collections") && name.equals("OrderedDict"))
                || ((module.equals("builtins") || module.equals("__builtin__"))
                    && (name.equals("dict") || name.equals("list") || name.equals("tuple")))
                || (module.equals("torch._utils") && (name.equals("_rebuild_tensor_v2") || name.equals("_rebuild_parameter")))) {
            return new Global(module, name, null);
        }
        if (module.equals("torch") && name.endsWith("Storage")) {
            DType t = DType.fromTorchStorage(name);
            if (t != null) return new Global(module, name, t);
        }
        throw error("refers to the Python global '" + module + "." + name + "', which a tensor state dict never"
                + " needs; refusing to load it (nothing was executed). Only OrderedDict/dict/list/tuple,"
                + " torch._utils._rebuild_tensor_v2/_rebuild_parameter and torch.*Storage are accepted."
                + " Use a weight file from a trusted source, or its .safetensors version");
    }

    private Object reduce(Object f, Object args) {
        if (!(f instanceof Global) || ((Global) f).storageType() != null) {
            throw error("calls " + describe(f) + ", which a tensor state dict never does; refusing to load");
        }
        Global g = (Global) f;
        List<Object> a = args instanceof Tuple ? ((Tuple) args).items() : null;
        if (a == null) throw error("arguments of " + g.qualified() + " are not a tuple");
        switch (g.name()) {
            case "OrderedDict":
            case "dict": {
                Map<Object, Object> m = new LinkedHashMap<>();
                if (!a.isEmpty()) {
                    for (Object kv : counted(iterable(a.get(0)))) {
                        List<Object> pair = ((Tuple) kv).items();
                        m.put(key(pair.get(0)), pair.get(1));
                    }
                }
                return m;
            }
            case "list": return a.isEmpty() ? new ArrayList<>() : counted(iterable(a.get(0)));
            case "tuple": return new Tuple(a.isEmpty() ? List.of() : counted(iterable(a.get(0))));
            case "_rebuild_tensor_v2": {
                if (a.size() < 4 || !(a.get(0) instanceof Storage)) {
                    throw error("_rebuild_tensor_v2 with unexpected arguments " + describe(args));
                }
                if (++tensors > MAX_TENSORS) {
                    throw error("holds more than " + MAX_TENSORS + " tensors, far more than any model; refusing to load");
                }
                return new Tensor((Storage) a.get(0), num(a.get(1)), longs(a.get(2)), longs(a.get(3)));
            }
            case "_rebuild_parameter": {
                if (a.isEmpty() || !(a.get(0) instanceof Tensor)) throw error("_rebuild_parameter without a tensor");
                return a.get(0);
            }
            default: throw error("calls " + g.qualified() + "; refusing to load");
        }
    }

    private Object persistent(Object pid) {
        List<Object> t = pid instanceof Tuple ? ((Tuple) pid).items() : null;
        if (t == null || t.size() < 5 || !"storage".equals(t.get(0)) || !(t.get(1) instanceof Global)
                || ((Global) t.get(1)).storageType() == null) {
            throw error("unexpected persistent id " + describe(pid) + " (expected ('storage', torch.XStorage, key, location, numel))");
        }
        return new Storage(((Global) t.get(1)).storageType(), String.valueOf(t.get(2)), num(t.get(4)));
    }

    private String describe(Object o) {
        if (o instanceof Global) return "'" + ((Global) o).qualified() + "'";
        if (o == null) return "None";
        if (o instanceof Tuple) return "a tuple of " + ((Tuple) o).items().size();
        if (o instanceof List) return "a list";
        if (o instanceof Map) return "a dict";
        return "a " + o.getClass().getSimpleName();
    }

    private static List<Object> iterable(Object o) {
        if (o instanceof Tuple) return ((Tuple) o).items();
        @SuppressWarnings("unchecked") List<Object> l = (List<Object>) o;
        return l;
    }

    private long num(Object o) {
        if (o instanceof Long) return (Long) o;
        if (o instanceof BigInteger) return ((BigInteger) o).longValueExact();
        if (o instanceof Boolean) return ((Boolean) o) ? 1 : 0;
        throw error("expected an integer, found " + describe(o));
    }

    private long[] longs(Object o) {
        List<Object> l = iterable(o);
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = num(l.get(i));
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) {
        if (!(o instanceof List)) throw error("APPEND to " + describe(o));
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> map(Object o) {
        if (!(o instanceof Map)) throw error("SETITEM on " + describe(o));
        return (Map<Object, Object>) o;
    }

    private Map<Object, Object> dict(List<Object> kv) {
        count(kv.size());
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.size(); i += 2) m.put(key(kv.get(i)), kv.get(i + 1));
        return m;
    }

    /**
     * A dict key: a state dict's keys are strings (integers in nested lists of modules). A container
     * as a key is refused — hashing one that contains itself, or a deep one, would never end.
     */
    private Object key(Object k) {
        if (k == null || k instanceof String || k instanceof Long || k instanceof BigInteger || k instanceof Boolean
                || k instanceof Double || k instanceof byte[]) {
            return k;
        }
        throw error("a dict key is " + describe(k) + "; a tensor state dict has string keys; refusing to load");
    }

    /** Counts every value a pickle makes or copies, so that no file can make more than {@link #MAX_OBJECTS}. */
    private void count(long n) {
        objects += n;
        if (objects > MAX_OBJECTS) {
            throw error("makes more than " + MAX_OBJECTS + " objects (at byte " + p + "), far more than a tensor state"
                    + " dict needs: a pickle bomb or not a state dict; refusing to load");
        }
    }

    /** A fresh list of {@code items}, counted. */
    private List<Object> counted(List<Object> items) {
        count(items.size());
        return new ArrayList<>(items);
    }

    private void memo(long k, Object v) {
        count(1);
        if (memo.size() >= MAX_MEMO && !memo.containsKey(k)) {
            throw error("memoizes more than " + MAX_MEMO + " values, far more than a state dict; refusing to load");
        }
        memo.put(k, v);
    }

    private Tuple tuple(int n) {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) items[i] = pop();
        return new Tuple(Arrays.asList(items));
    }

    private Object memo(long k) {
        if (!memo.containsKey(k)) throw error("memo key " + k + " used before it was set: corrupt pickle");
        return memo.get(k);
    }

    private void push(Object o) {
        count(1);
        stack.add(o);
    }

    private Object pop() {
        if (stack.isEmpty() || (!marks.isEmpty() && marks.get(marks.size() - 1) == stack.size())) {
            throw error("stack underflow at byte " + p + ": corrupt pickle");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        if (stack.isEmpty()) throw error("stack underflow at byte " + p + ": corrupt pickle");
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) throw error("no MARK at byte " + p + ": corrupt pickle");
        int m = marks.remove(marks.size() - 1);
        List<Object> sub = new ArrayList<>(stack.subList(m, stack.size()));
        stack.subList(m, stack.size()).clear();
        return sub;
    }

    private int u8() {
        return b[p++] & 0xff;
    }

    private int u16() {
        int v = (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
        p += 2;
        return v;
    }

    private int i32() {
        int v = (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (b[p + 3] & 0xff) << 24;
        p += 4;
        return v;
    }

    private long le64() {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = (v << 8) | (b[p + i] & 0xff);
        p += 8;
        return v;
    }

    private int len64() {
        long n = le64();
        if (n < 0 || n > b.length - p) throw error("length " + n + " runs past the end: the pickle is truncated");
        return (int) n;
    }

    private long be64() {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[p + i] & 0xff);
        p += 8;
        return v;
    }

    private Object longN(int n) {
        if (n < 0 || n > b.length - p) throw error("length " + n + " runs past the end: the pickle is truncated");
        if (n > MAX_INT_LENGTH) throw error("an integer of " + n + " bytes at byte " + p + "; refusing to load");
        if (n == 0) return 0L;
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) be[i] = b[p + n - 1 - i];
        p += n;
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private byte[] bytes(int n) {
        if (n < 0 || n > b.length - p) throw error("length " + n + " runs past the end: the pickle is truncated");
        byte[] out = Arrays.copyOfRange(b, p, p + n);
        p += n;
        return out;
    }

    private String str(int n) {
        return new String(bytes(n), StandardCharsets.UTF_8);
    }

    private String latin1(int n) {
        return new String(bytes(n), StandardCharsets.ISO_8859_1);
    }

    private String line() {
        int s = p;
        while (p < b.length && b[p] != '\n') p++;
        if (p >= b.length) throw error("unterminated line: the pickle is truncated");
        return new String(b, s, p++ - s, StandardCharsets.UTF_8);
    }

    private static Object intLine(String s) {
        if (s.equals("01")) return Boolean.TRUE;
        if (s.equals("00")) return Boolean.FALSE;
        return Long.parseLong(s);
    }

    private BigInteger bigLine(String s) {
        if (s.length() > MAX_INT_LENGTH) throw error("an integer of " + s.length() + " digits at byte " + p + "; refusing to load");
        return new BigInteger(s.endsWith("L") ? s.substring(0, s.length() - 1) : s);
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"')) return s.substring(1, s.length() - 1);
        return s;
    }
}
