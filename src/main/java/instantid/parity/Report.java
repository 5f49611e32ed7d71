package instantid.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Collects element-wise comparisons of one case: {@code |a - e| <= atol + rtol * |e|}. The first
 * mismatch of each tensor is reported with its index, both values and the count of mismatches.
 */
public final class Report {

    private final Case c;
    private double maxErr;
    private final List<String> failures = new ArrayList<>();

    public Report(Case c) {
        this.c = c;
    }

    /** Compares an array with the expected tensor of the same name in the case. */
    public Report check(String name, NDArray actual) {
        return check(name, actual, c.atol, c.rtol);
    }

    public Report check(String name, NDArray actual, double atol, double rtol) {
        long[] es = c.shape(name);
        long[] as = actual.getShape().getShape();
        if (!Arrays.equals(squeezeLead(es), squeezeLead(as)) && product(es) != product(as)) {
            failures.add(name + ": shape " + Arrays.toString(as) + " expected " + Arrays.toString(es));
            return this;
        }
        float[] a = actual.toType(DataType.FLOAT32, false).toFloatArray();
        return check(name, a, atol, rtol);
    }

    public Report check(String name, float[] a) {
        return check(name, a, c.atol, c.rtol);
    }

    public Report check(String name, float[] a, double atol, double rtol) {
        float[] e = c.floats(name);
        if (a.length != e.length) {
            failures.add(name + ": " + a.length + " values, expected " + e.length);
            return this;
        }
        int bad = 0;
        int first = -1;
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - e[i]);
            if (Double.isNaN(d)) d = Double.POSITIVE_INFINITY;
            worst = Math.max(worst, d);
            if (d > atol + rtol * Math.abs(e[i])) {
                if (first < 0) first = i;
                bad++;
            }
        }
        maxErr = Math.max(maxErr, worst);
        if (bad > 0) {
            failures.add(String.format(Locale.ROOT, "%s: %d of %d values differ, first at %d: %.6g vs expected %.6g (max abs err %.3g)",
                    name, bad, a.length, first, a[first], e[first], worst));
        }
        return this;
    }

    /** Records a failure found by a runner's own rule. */
    public Report fail(String what) {
        failures.add(what);
        return this;
    }

    /** Records an error value for the summary without a pass/fail decision. */
    public Report error(double err) {
        maxErr = Math.max(maxErr, err);
        return this;
    }

    public Outcome outcome() {
        return failures.isEmpty() ? Outcome.pass(maxErr) : Outcome.fail(String.join("; ", failures));
    }

    private static long product(long[] s) {
        long p = 1;
        for (long d : s) p *= d;
        return p;
    }

    private static long[] squeezeLead(long[] s) {
        int i = 0;
        while (i < s.length - 1 && s[i] == 1) i++;
        return Arrays.copyOfRange(s, i, s.length);
    }
}
