package instantid.io;

import java.util.Locale;

/** Element types found in weight files, with their byte sizes and the names each format uses. */
public enum DType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    public final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public boolean isFloat() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }

    /** The safetensors header name ("F32", "BF16", ...); null when unknown. */
    public static DType fromSafetensors(String s) {
        if (s == null) return null;
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The torch storage class name ("FloatStorage", "HalfStorage", ...); null when unknown. */
    public static DType fromTorchStorage(String s) {
        switch (s) {
            case "DoubleStorage": return F64;
            case "FloatStorage": return F32;
            case "HalfStorage": return F16;
            case "BFloat16Storage": return BF16;
            case "LongStorage": return I64;
            case "IntStorage": return I32;
            case "ShortStorage": return I16;
            case "CharStorage": return I8;
            case "ByteStorage": return U8;
            case "BoolStorage": return BOOL;
            default: return null;
        }
    }
}
