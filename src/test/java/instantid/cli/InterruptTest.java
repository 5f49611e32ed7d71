package instantid.cli;

import instantid.parity.FixturesTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C mid-run, for real: a separate JVM runs generate, gets SIGINT after its first step, ends
 * the step in flight, exits 130, and leaves no output file (nor a temp one) behind.
 */
class InterruptTest {

    @Test
    void ctrlCMidRunExits130AndWritesNothing(@TempDir Path tmp) throws Exception {
        Path fx = FixturesTest.requireFixtures();
        Path out = tmp.resolve("out/x.png");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Duser.home=" + System.getProperty("user.home"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "generate", "--models", fx.resolve("pipeline_sdxl_tiny").toString(),
                "--face-models", fx.resolve("face_analysis").toString(), "--face", "examples/portrait.png",
                "--prompt", "a man", "--size", "64x64", "--steps", "200", "--det-thresh", "0.2", "--out", out.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder log = new StringBuilder();
        boolean sent = false;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                log.append(line).append('\n');
                if (!sent && line.contains("step 1/200")) {
                    new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
                    sent = true;
                }
            }
        } finally {
            if (!p.waitFor(300, TimeUnit.SECONDS)) p.destroyForcibly();
        }
        assertTrue(sent, "the run reached its first step:\n" + log);
        assertEquals(130, p.exitValue(), log.toString());
        assertTrue(log.toString().contains("interrupted: stopping after the step in flight"), log.toString());
        assertTrue(!log.toString().contains("step 200/200"), "stopped early:\n" + log);
        List<String> left;
        try (Stream<Path> s = Files.walk(tmp)) {
            left = s.filter(Files::isRegularFile).map(Path::toString).toList();
        }
        assertEquals(List.of(), left, "no output or temp file");
    }
}
