package instantid.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code java -jar instantid.jar <verb> ...}: the headless entry point. */
public final class Main {

    private Main() {
    }

    static Map<String, Verb> verbs() {
        Map<String, Verb> m = new LinkedHashMap<>();
        for (Verb v : List.<Verb>of(new GenerateVerb(), new SweepVerb(), new BatchVerb(), new Txt2ImgVerb(), new DetectVerb(), new ParityVerb(), new ModelsVerb(), new BenchVerb(), new RandomModelVerb())) m.put(v.name(), v);
        return m;
    }

    /** Boolean options (take no value) across verbs. */
    static final Set<String> FLAGS = Set.of("help", "with-instantid", "all-faces", "no-preview", "tiled", "list",
            "download", "accept-licence", "check", "natives", "id-map", "merge");

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    public static int run(String[] argv) {
        Engines.configureDefaults();
        Map<String, Verb> verbs = verbs();
        if (argv.length == 0 || !verbs.containsKey(argv[0])) {
            System.err.println("InstantID for Fiji — usage: java -jar instantid.jar <verb> [options]");
            for (Verb v : verbs.values()) System.err.println("  " + v.summary());
            return argv.length == 0 || argv[0].equals("help") || argv[0].equals("--help") ? 0 : 2;
        }
        String[] rest = java.util.Arrays.copyOfRange(argv, 1, argv.length);
        try {
            return verbs.get(argv[0]).run(new Args(rest, FLAGS));
        } catch (IllegalArgumentException | java.io.IOException | java.io.UncheckedIOException
                 | instantid.common.UserException e) {
            // the user's input or files are wrong: the message says what and what to do, no stack trace
            System.err.println("error: " + e.getMessage());
            return 2;
        } catch (java.util.concurrent.CancellationException e) {
            System.err.println("cancelled");
            return 130;
        } catch (Exception e) {
            System.err.println("error: " + e);
            e.printStackTrace();
            return 1;
        }
    }
}
