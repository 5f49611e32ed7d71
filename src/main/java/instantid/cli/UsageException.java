package instantid.cli;

/** A command line that cannot be run as typed: the message names the option and the rule (exit 2). */
public final class UsageException extends IllegalArgumentException {

    public UsageException(String message) {
        super(message);
    }
}
