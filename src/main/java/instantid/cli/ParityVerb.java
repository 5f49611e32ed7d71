package instantid.cli;

import instantid.parity.Parity;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code parity DIR...}: runs reference cases, one line each, then the summary line. */
public final class ParityVerb implements Verb {

    @Override
    public String name() {
        return "parity";
    }

    @Override
    public String summary() {
        return "parity DIR...        run every reference case under DIR (PASS/FAIL/SKIP per case)";
    }

    @Override
    public int run(Args args) throws Exception {
        if (args.positional().isEmpty()) {
            System.err.println("usage: parity DIR...   (e.g. parity ../shared/fixtures)");
            return 2;
        }
        List<Path> dirs = new ArrayList<>();
        for (String p : args.positional()) dirs.add(Path.of(p));
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
