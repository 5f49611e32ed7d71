package instantid.models;

import instantid.common.CancelToken;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.concurrent.CancellationException;

/**
 * A download in progress: {@code <target>.part}, beside it {@code <target>.part.validator} (the
 * ETag / Last-Modified of the response that began it, so a resume continues the same file only),
 * the bytes streamed into it chunk by chunk with the cancel token checked between chunks (the part
 * is kept for resuming), and at the end an atomic move to the final name: a half-written file
 * never carries the final name.
 */
final class PartFile {

    private static final int CHUNK = 1 << 16;

    private final Path target;
    private final Path part;
    private final Path validatorFile;

    /** The part of {@code target}; creates its folder. */
    PartFile(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        this.target = target;
        this.part = dir.resolve(target.getFileName() + ".part");
        this.validatorFile = dir.resolve(target.getFileName() + ".part.validator");
    }

    Path path() {
        return part;
    }

    String name() {
        return target.getFileName().toString();
    }

    boolean exists() {
        return Files.exists(part);
    }

    /** The bytes already there (0 when none). */
    long size() throws IOException {
        return Files.exists(part) ? Files.size(part) : 0;
    }

    /** The validator the part was begun with, or null. */
    String validator() throws IOException {
        return Files.isRegularFile(validatorFile) ? Files.readString(validatorFile).trim() : null;
    }

    /** Records the validator of a response that starts the part afresh (none: a later resume sends no If-Range). */
    void startedWith(String validator) throws IOException {
        if (validator != null) Files.writeString(validatorFile, validator);
        else Files.deleteIfExists(validatorFile);
    }

    /** Deletes the part and the validator it was begun with. */
    void discard() throws IOException {
        Files.deleteIfExists(part);
        Files.deleteIfExists(validatorFile);
    }

    /** Gives the complete, verified part its final name, atomically where the file system can. */
    Path install() throws IOException {
        Files.deleteIfExists(validatorFile);
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /** How one response body is written: where it starts, what it should total, what it may not pass. */
    record Body(InputStream in, boolean append, long have, long total, long cap, URI uri, int readTimeoutMs) {
    }

    /**
     * Streams {@code body} into the part (appended after the {@code have} bytes, or from the start),
     * feeding {@code md}, reporting to {@code listener} at most five times a second and once at the
     * end; checks {@code cancel} before every chunk. Returns the part's size at the end.
     */
    long write(Body body, MessageDigest md, Downloader.Listener listener, CancelToken cancel) throws IOException {
        String name = name();
        long bytes = body.have();
        long t0 = System.nanoTime();
        long lastReport = 0;
        byte[] buf = new byte[CHUNK];
        StandardOpenOption mode = body.append() ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
        try (InputStream in = body.in();
             FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
            while (true) {
                if (cancel.isCancelled()) {
                    throw new CancellationException("download of " + name + " cancelled at " + Progress.bytes(bytes)
                            + "; the partial file " + part.getFileName() + " is kept and the next download resumes from there");
                }
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    throw new DownloadException(DownloadException.Kind.NETWORK, body.uri() + ": no data for "
                            + body.readTimeoutMs() / 1000 + " s after " + Progress.bytes(bytes) + "; the partial file is kept, run again to resume", e);
                } catch (IOException e) {
                    throw new DownloadException(DownloadException.Kind.NETWORK, body.uri() + ": connection lost after "
                            + Progress.bytes(bytes) + " (" + e.getMessage() + "); the partial file is kept, run again to resume", e);
                }
                if (n < 0) break;
                if (bytes + n > body.cap()) {
                    out.close();
                    discard();
                    throw new DownloadException(DownloadException.Kind.SIZE, body.uri() + ": the server sent more than the " + body.cap()
                            + " bytes expected; reading stopped there and the download was discarded");
                }
                try {
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                    while (bb.hasRemaining()) out.write(bb);
                } catch (IOException e) {
                    throw classifyWriteError(e, part);
                }
                md.update(buf, 0, n);
                bytes += n;
                long now = System.nanoTime();
                if (listener != null && now - lastReport > 200_000_000L) {
                    lastReport = now;
                    listener.progress(progress(name, bytes, body.have(), body.total(), now - t0));
                }
            }
            try {
                out.force(true);
            } catch (IOException e) {
                throw classifyWriteError(e, part);
            }
        }
        if (listener != null) listener.progress(progress(name, bytes, body.have(), body.total(), System.nanoTime() - t0));
        if (body.total() >= 0 && bytes < body.total()) {
            throw new DownloadException(DownloadException.Kind.NETWORK, body.uri() + ": the connection closed after "
                    + bytes + " of " + body.total() + " bytes; the partial file is kept, run again to resume");
        }
        return bytes;
    }

    private static Progress progress(String name, long bytes, long startBytes, long total, long nanos) {
        double secs = nanos / 1e9;
        double rate = secs > 0 ? (bytes - startBytes) / secs : 0;
        double eta = total > 0 && rate > 0 ? (total - bytes) / rate : -1;
        return new Progress(name, bytes, total, rate, eta);
    }

    /** A write failure: a full disk says so (and what to do), anything else names the file. */
    static DownloadException classifyWriteError(IOException e, Path part) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("no space left") || m.contains("not enough space") || m.contains("disk full")
                || m.contains("quota exceeded")) {
            return new DownloadException(DownloadException.Kind.DISK_FULL, "disk full while writing " + part
                    + ": free space or choose another models folder (--dir, -Dinstantid.models, INSTANTID_MODELS); the partial file is kept for resuming", e);
        }
        return new DownloadException(DownloadException.Kind.HTTP, "cannot write " + part + ": " + e.getMessage(), e);
    }
}
