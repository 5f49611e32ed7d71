package instantid.cli;

import instantid.parity.Parity;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code parity DIR...}: runs reference cases, one line each, then the summary line. */
public final class ParityVerb implements Verb {

    static final Options OPTIONS = Options.of("parity",
            "Runs every reference case under the folders (PASS/FAIL/SKIP per case, then a summary line); "
                    + "exit 1 when a case fails, 2 when there are no cases.",
            Help.JAR + " parity ../shared/fixtures").positional("DIR...", 1);

    @Override
    public Options options() {
        return OPTIONS;
    }

    @Override
    public int run(Args args) throws Exception {
        List<Path> dirs = new ArrayList<>();
        for (String p : args.positional()) {
            if (!java.nio.file.Files.isDirectory(Path.of(p))) throw new UsageException("parity: " + p + " is not a folder");
            dirs.add(Path.of(p));
        }
        Parity.Summary s = Parity.run(dirs, System.out);
        if (s.passed() + s.failed() + s.skipped() == 0) {
            System.err.println("no case folders (with a case.json) under " + dirs);
            return 2;
        }
        if (s.skipped() > 0) {
            System.out.println(s.skipped() + " case(s) skipped: only kinds with no runner yet may skip (a case of a kind"
                    + " that has a runner and cannot run, or leaves a listed tensor unread, is a FAIL)");
        }
        return s.failed() > 0 ? 1 : 0;
    }
}
