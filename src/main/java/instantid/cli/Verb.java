package instantid.cli;

/** One CLI verb: {@code java -jar instantid.jar <name> ...}. */
public interface Verb {

    String name();

    /** One line for the usage text. */
    String summary();

    /** Runs with the arguments after the verb; the exit status. */
    int run(Args args) throws Exception;
}
