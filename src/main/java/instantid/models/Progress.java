package instantid.models;

/**
 * Download progress of one file: bytes on disk so far (including a resumed part), total (-1 when
 * the server does not say), the current rate and the estimated time left (-1 when unknown).
 */
public record Progress(String name, long bytes, long total, double bytesPerSecond, double etaSeconds) {

    public double fraction() {
        return total > 0 ? Math.min(1.0, bytes / (double) total) : -1;
    }

    /** e.g. {@code ip-adapter.bin: 40% 675.2 MB of 1.7 GB, 12.3 MB/s, 1m 25s left}. */
    public String line() {
        StringBuilder sb = new StringBuilder(name).append(": ");
        if (total > 0) sb.append(Math.round(fraction() * 100)).append("% ").append(bytes(bytes)).append(" of ").append(bytes(total));
        else sb.append(bytes(bytes));
        if (bytesPerSecond > 0) sb.append(", ").append(bytes((long) bytesPerSecond)).append("/s");
        if (etaSeconds >= 0) sb.append(", ").append(duration(etaSeconds)).append(" left");
        return sb.toString();
    }

    public static String bytes(long n) {
        if (n < 1024) return n + " B";
        String[] u = {"kB", "MB", "GB", "TB"};
        double v = n;
        int i = -1;
        while (v >= 1000 && i < u.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, u[i]);
    }

    public static String duration(double s) {
        long t = Math.round(s);
        if (t < 60) return t + "s";
        if (t < 3600) return (t / 60) + "m " + (t % 60) + "s";
        return (t / 3600) + "h " + (t % 3600 / 60) + "m";
    }
}
