package instantid.io;

import java.nio.file.Path;

/** A weight file that cannot be read as what it claims to be: the message names the file and tensor. */
public class WeightFileException extends instantid.common.UserException {

    public WeightFileException(String message) {
        super(message);
    }

    public WeightFileException(String message, Throwable cause) {
        super(message, cause);
    }

    public static WeightFileException of(Path file, String what) {
        return new WeightFileException(file + ": " + what);
    }

    public static WeightFileException of(Path file, String tensor, String what) {
        return new WeightFileException(file + ": tensor '" + tensor + "': " + what);
    }
}
