package instantid.cli;

/** One CLI verb: {@code java -jar instantid.jar <name> ...}; its options are declared in {@link #options()}. */
public interface Verb {

    /** Name, summary, options and example: the single declaration the parser and the help read. */
    Options options();

    default String name() {
        return options().verb();
    }

    /** The first sentence is the verb's line in the top-level usage. */
    default String summary() {
        return options().summary();
    }

    /** Runs with the checked arguments after the verb; the exit status. */
    int run(Args args) throws Exception;
}
