package instantid.face;

/** Where the face models run. CUDA falls back to CPU with a message when it is not available. */
public enum Device {
    CPU, CUDA;

    /** "cpu", "cuda", "gpu", "auto" (auto = CUDA when available). */
    public static Device parse(String s) {
        String v = s == null ? "cpu" : s.trim().toLowerCase(java.util.Locale.ROOT);
        switch (v) {
            case "cpu": return CPU;
            case "cuda": case "gpu": case "auto": return CUDA;
            default: throw new IllegalArgumentException("device '" + s + "': use cpu, cuda or auto");
        }
    }
}
