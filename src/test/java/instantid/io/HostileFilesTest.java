package instantid.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every file of {@link HostileFiles} is refused with a {@link WeightFileException} that names the
 * file and what is wrong — no StackOverflowError, OutOfMemoryError or other exception escapes,
 * nothing runs, and no file takes more than a few seconds — in a child JVM whose heap and direct
 * memory are bounded to 512 MB (the parent's own heap would hide an allocation bomb).
 */
class HostileFilesTest {

    /** A hang detector, not a benchmark: each refusal takes milliseconds; a hang never ends. */
    static final long MAX_MS_PER_FILE = 10_000;

    @Test
    void everyHostileFileIsRefusedWithinTheLimits(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("hostile"));
        Map<String, String> expect = HostileFiles.write(dir);
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:MaxDirectMemorySize=512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), HostileCheck.class.getName(), dir.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean ended = p.waitFor(5, TimeUnit.MINUTES);
        if (!ended) p.destroyForcibly();
        System.out.println(out);
        assertTrue(ended, "child JVM did not finish:\n" + out);
        assertEquals(0, p.exitValue(), out);

        Map<String, String[]> lines = new HashMap<>();
        for (String l : out.split("\n")) {
            String[] f = l.split(" ", 4);
            if (f.length >= 3 && (f[0].equals("LOADED") || f[0].equals("REFUSED") || f[0].equals("ESCAPED"))) lines.put(f[1], f);
        }
        for (Map.Entry<String, String> e : expect.entrySet()) {
            String[] f = lines.get(e.getKey());
            assertNotNull(f, e.getKey() + " was not reached:\n" + out);
            long ms = Long.parseLong(f[2]);
            assertTrue(ms < MAX_MS_PER_FILE, e.getKey() + " took " + ms + " ms");
            if (e.getKey().equals(HostileFiles.GOOD)) {
                assertEquals("LOADED", f[0], String.join(" ", f));
                continue;
            }
            assertEquals("REFUSED", f[0], String.join(" ", f));
            String msg = f[3];
            assertTrue(msg.contains(dir.resolve(e.getKey()).toString()), "names the file: " + msg);
            assertTrue(msg.contains(e.getValue()), e.getKey() + ": expected '" + e.getValue() + "' in: " + msg);
        }
        assertFalse(Files.exists(dir.resolve("PWNED")), "code ran");
        assertTrue(expect.size() > 40, "the folder holds every kind of hostile file");
    }
}
