package instantid.common;

/**
 * A problem with what the user gave (a file, an image, a parameter) rather than a bug: the message
 * names the file / image / parameter and says what to do. Front ends show it as it is, without a
 * stack trace (exit code 2 in the CLI, an ImageJ error dialog or the macro's error line in ImageJ).
 * The lowest layer of the code base, so every layer can throw it.
 */
public class UserException extends RuntimeException {

    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
