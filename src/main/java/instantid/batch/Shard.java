package instantid.batch;

/**
 * Which rows one job of an array takes: shard {@code index} of {@code count} (1-based, as
 * SLURM's {@code $SLURM_ARRAY_TASK_ID} with {@code --array=1-N}) owns the data rows whose
 * 1-based number r satisfies {@code (r - 1) % count == index - 1}. Row-wise and stable: a row's
 * shard depends only on its position, so appending rows never moves an existing row.
 */
public record Shard(int index, int count) {

    public static final Shard ALL = new Shard(1, 1);

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + ": write i/n with 1 <= i <= n");
        }
    }

    /** "i/n"; a Kubernetes indexed Job's 0-based {@code $JOB_COMPLETION_INDEX} is written {@code $((JOB_COMPLETION_INDEX+1))/n}. */
    public static Shard parse(String s) {
        String[] p = s == null ? new String[0] : s.trim().split("/");
        try {
            if (p.length == 2) return new Shard(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("--shard expects i/n (e.g. 2/8), got '" + s + "'");
    }

    public boolean owns(int rowNumber) {
        return (rowNumber - 1) % count == index - 1;
    }

    public boolean isAll() {
        return count == 1;
    }

    /** The file name of this shard's results: {@code results.csv}, or {@code results-shard-2-of-8.csv}. */
    public String resultsFile() {
        return isAll() ? "results.csv" : "results-shard-" + index + "-of-" + count + ".csv";
    }
}
