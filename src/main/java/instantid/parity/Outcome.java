package instantid.parity;

/** The result of one case: PASS with its largest error, FAIL with what differs, SKIP with why. */
public record Outcome(Status status, String detail, double maxErr) {

    public enum Status { PASS, FAIL, SKIP }

    public static Outcome pass(double maxErr) {
        return new Outcome(Status.PASS, "", maxErr);
    }

    public static Outcome fail(String what) {
        return new Outcome(Status.FAIL, what, Double.NaN);
    }

    public static Outcome skip(String why) {
        return new Outcome(Status.SKIP, why, Double.NaN);
    }

    public String line(String caseName) {
        switch (status) {
            case PASS: return String.format(java.util.Locale.ROOT, "PASS %s %.3g", caseName, maxErr);
            case FAIL: return "FAIL " + caseName + " " + detail;
            default: return "SKIP " + caseName + " " + detail;
        }
    }
}
