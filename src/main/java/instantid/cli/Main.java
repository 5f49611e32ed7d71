package instantid.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar instantid.jar <verb> ...}: the headless entry point. Exit status: 0 done,
 * 2 a usage or input error (one line naming the option / file, no stack trace), 1 an internal
 * error, 130 interrupted (Ctrl-C). Help goes to stdout; errors and progress to stderr.
 */
public final class Main {

    private Main() {
    }

    static Map<String, Verb> verbs() {
        Map<String, Verb> m = new LinkedHashMap<>();
        for (Verb v : List.<Verb>of(new GenerateVerb(), new SweepVerb(), new BatchVerb(), new Txt2ImgVerb(), new DetectVerb(), new ModelsVerb(),
                new DemoModelsVerb(), new ParityVerb(), new BenchVerb(), new RandomModelVerb(), new DoctorVerb())) {
            m.put(v.name(), v);
        }
        return m;
    }

    public static void main(String[] argv) {
        Interrupt.install();
        int status;
        try {
            status = run(argv);
        } finally {
            Interrupt.finished();
        }
        System.exit(status);
    }

    public static int run(String[] argv) {
        return run(argv, System.out, System.err);
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        Map<String, Verb> verbs = verbs();
        if (argv.length == 0 || !verbs.containsKey(argv[0])) {
            boolean asked = argv.length > 0 && (argv[0].equals("help") || argv[0].equals("--help") || argv[0].equals("-h"));
            if (asked && argv.length > 1 && verbs.containsKey(argv[1])) {
                out.print(Help.verb(verbs.get(argv[1]).options()));
                return 0;
            }
            if (argv.length > 0 && !asked) err.println("error: unknown verb '" + argv[0] + "'\n");
            (asked ? out : err).print(Help.usage(verbs.values()));
            return asked ? 0 : 2;
        }
        Verb verb = verbs.get(argv[0]);
        try {
            Args args = verb.options().parse(Arrays.copyOfRange(argv, 1, argv.length));
            if (args.helpRequested()) {
                out.print(Help.verb(verb.options()));
                return 0;
            }
            Engines.configureDefaults();
            return verb.run(args);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException | java.io.IOException | java.io.UncheckedIOException
                 | instantid.common.UserException e) {
            // the user's input or files are wrong: the message says what and what to do, no stack trace
            err.println("error: " + e.getMessage());
            return 2;
        } catch (java.util.concurrent.CancellationException e) {
            // a download says what it keeps for resuming; a generation ("cancelled" between steps) writes nothing
            String m = e.getMessage();
            err.println(m == null || m.equals("cancelled") ? "cancelled: nothing was written" : "cancelled: " + m);
            return 130;
        } catch (Exception e) {
            err.println("error: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }
}
