package instantid.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A batch's results table ({@code results.csv} per shard, merged into one): one line per
 * manifest row with its output, seed, identity score (empty beside a reason when there is none),
 * status ({@code generated}, {@code skipped}: already done with the same row, {@code failed}) and
 * the error of a failed row.
 */
public final class Results {

    public static final List<String> HEADER = List.of("row", "out", "seed", "identity_score", "identity_score_reason", "status", "error");

    /** One line. {@code score} is null when there is none. */
    public record Line(int row, String out, String seed, Double score, String reason, String status, String error) {

        List<String> fields() {
            return List.of(Integer.toString(row), out, seed, score == null ? "" : score.toString(), nz(reason), status, nz(error));
        }

        private static String nz(String s) {
            return s == null ? "" : s;
        }
    }

    private Results() {
    }

    /** Writes the lines sorted by row, atomically (a temporary file moved into place). */
    public static void write(Path file, List<Line> lines) throws IOException {
        List<Line> sorted = new ArrayList<>(lines);
        sorted.sort(Comparator.comparingInt(Line::row));
        StringBuilder sb = new StringBuilder(Csv.line(HEADER));
        for (Line l : sorted) sb.append(Csv.line(l.fields()));
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".part");
        try {
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static List<Line> read(Path file) throws IOException {
        List<List<String>> recs = Csv.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        if (recs.isEmpty() || !recs.get(0).equals(HEADER)) {
            throw new IllegalArgumentException(file + " is not a batch results file (expected the header " + String.join(",", HEADER) + ")");
        }
        List<Line> out = new ArrayList<>();
        for (int i = 1; i < recs.size(); i++) {
            List<String> r = recs.get(i);
            if (r.size() != HEADER.size()) throw new IllegalArgumentException(file + ", line " + (i + 1) + ": " + r.size() + " fields, expected " + HEADER.size());
            try {
                out.add(new Line(Integer.parseInt(r.get(0)), r.get(1), r.get(2), r.get(3).isEmpty() ? null : Double.valueOf(r.get(3)),
                        r.get(4), r.get(5), r.get(6)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ", line " + (i + 1) + ": row or score is not a number");
            }
        }
        return out;
    }

    /** The shards' results files in {@code dir} ({@code results-shard-I-of-N.csv}). */
    public static List<Path> shardFiles(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (var s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().matches("results-shard-\\d+-of-\\d+\\.csv")).sorted().forEach(out::add);
        }
        return out;
    }

    /**
     * The shards' lines joined, one per row, sorted by row. A row found in several files (shards
     * re-run with another count) is taken from the file written last.
     */
    public static List<Line> merge(List<Path> files) throws IOException {
        List<Path> byTime = new ArrayList<>(files);
        Map<Path, Long> times = new TreeMap<>();
        for (Path f : files) times.put(f, Files.getLastModifiedTime(f).toMillis());
        byTime.sort(Comparator.comparingLong(times::get));
        Map<Integer, Line> rows = new TreeMap<>();
        for (Path f : byTime) for (Line l : read(f)) rows.put(l.row(), l);
        return new ArrayList<>(rows.values());
    }
}
