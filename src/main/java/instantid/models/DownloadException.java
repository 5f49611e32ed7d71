package instantid.models;

import java.io.IOException;

/** A download that failed, with what kind of failure it was and a message saying what to do. */
public final class DownloadException extends IOException {

    public enum Kind { AUTH, NOT_FOUND, HTTP, NETWORK, DISK_FULL, CHECKSUM, SIZE, UNTRUSTED }

    private final Kind kind;

    public DownloadException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public DownloadException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }
}
