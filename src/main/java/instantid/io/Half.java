package instantid.io;

/** IEEE 754 half precision ↔ float (Java 17 has no Float.float16ToFloat). */
public final class Half {

    private Half() {
    }

    public static float toFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0) {
            if (mant == 0) return Float.intBitsToFloat(sign);
            // subnormal: value = mant * 2^-24
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /** Round-to-nearest-even conversion, as torch's .half(). */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int val = bits & 0x7fffffff;
        if (val >= 0x7f800000) { // inf or nan
            return (short) (sign | 0x7c00 | (val > 0x7f800000 ? 0x200 : 0));
        }
        if (val >= 0x477ff000) { // rounds to >= 65520 → inf
            return (short) (sign | 0x7c00);
        }
        if (val < 0x38800000) { // subnormal or zero in half
            float abs = Float.intBitsToFloat(val);
            int m = (int) Math.rint(abs * 0x1p24);
            return (short) (sign | m);
        }
        int exp = (val >>> 23) - 127 + 15;
        int mant = val & 0x7fffff;
        int half = (exp << 10) | (mant >>> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) half++;
        return (short) (sign | half);
    }
}
