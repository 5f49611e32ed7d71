package instantid.parity;

import ai.djl.ndarray.NDManager;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs every case folder under the given folders and prints one line per case, then
 * {@code N passed, M failed, K skipped}. Works on any folder of cases in the fixture format.
 */
public final class Parity {

    public record Summary(int passed, int failed, int skipped, List<String> lines) {
    }

    private Parity() {
    }

    /** Case folders (those with a case.json) at or below {@code dir}, sorted by path. */
    public static List<Path> findCases(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (Files.isRegularFile(dir.resolve("case.json"))) {
            out.add(dir);
            return out;
        }
        try (Stream<Path> s = Files.walk(dir, 4)) {
            s.filter(p -> Files.isRegularFile(p.resolve("case.json"))).sorted().forEach(out::add);
        }
        return out;
    }

    public static Summary run(List<Path> dirs, PrintStream out) throws IOException {
        Map<String, CaseRunner> runners = Runners.all();
        int pass = 0, fail = 0, skip = 0;
        List<String> lines = new ArrayList<>();
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                throw new IOException(d + ": no such folder of cases");
            }
            for (Path caseDir : findCases(d)) {
                Outcome o = runOne(caseDir, runners);
                String line = o.line(caseDir.getFileName().toString());
                out.println(line);
                out.flush();
                lines.add(line);
                switch (o.status()) {
                    case PASS: pass++; break;
                    case FAIL: fail++; break;
                    default: skip++;
                }
            }
        }
        String total = pass + " passed, " + fail + " failed, " + skip + " skipped";
        out.println(total);
        return new Summary(pass, fail, skip, lines);
    }

    /** The reason of the only SKIP there is: a kind that has no runner yet. */
    public static final String NO_RUNNER = "no runner yet for this kind";

    /**
     * A case of a kind that has a runner never skips (a missing folder or file is a FAIL), and passes
     * only when every tensor case.json lists was read as an input or compared.
     */
    static Outcome strict(Case c, Outcome o) {
        if (o.status() == Outcome.Status.SKIP) {
            return Outcome.fail("a case of kind '" + c.kind + "' has a runner and may not skip: " + o.detail());
        }
        if (o.status() == Outcome.Status.PASS) {
            java.util.Set<String> unread = c.unread();
            if (!unread.isEmpty()) {
                return Outcome.fail(unread.size() + " tensor(s) that case.json lists were neither read nor compared: "
                        + unread.stream().limit(8).toList() + (unread.size() > 8 ? " ..." : ""));
            }
        }
        return o;
    }

    public static Outcome runOne(Path caseDir, Map<String, CaseRunner> runners) {
        try (Case c = Case.read(caseDir)) {
            CaseRunner r = runners.get(c.kind);
            if (r == null) return Outcome.skip(NO_RUNNER + " (kind '" + c.kind + "')");
            Outcome o;
            try (NDManager m = NDManager.newBaseManager()) {
                o = r.run(c, m);
            }
            return strict(c, o);
        } catch (Throwable t) {
            String msg = t.getMessage() == null ? "" : t.getMessage().replace('\n', ' ');
            return Outcome.fail(t.getClass().getSimpleName() + ": " + msg);
        }
    }
}
