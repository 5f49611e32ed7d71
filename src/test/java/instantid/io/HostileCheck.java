package instantid.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Run in a child JVM with a bounded heap by {@link HostileFilesTest}: opens every file of a folder
 * and reads every tensor, printing one line per file: {@code LOADED name ms}, {@code REFUSED name ms
 * message} (a {@link WeightFileException}) or {@code ESCAPED name ms throwable} (anything else —
 * a StackOverflowError, an OutOfMemoryError, a RuntimeException).
 */
public final class HostileCheck {

    private HostileCheck() {
    }

    public static void main(String[] args) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of(args[0]))) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            long t0 = System.nanoTime();
            String line;
            try (TensorSource src = TensorSources.open(f)) {
                long bytes = 0;
                for (String n : src.names()) bytes += src.bytes(n).remaining();
                line = "LOADED " + bytes + " bytes";
            } catch (WeightFileException e) {
                line = "REFUSED " + e.getMessage().replace('\n', ' ');
            } catch (Throwable t) {
                line = "ESCAPED " + t;
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            int sp = line.indexOf(' ');
            System.out.println(line.substring(0, sp) + " " + f.getFileName() + " " + ms + line.substring(sp));
            System.out.flush();
        }
    }
}
