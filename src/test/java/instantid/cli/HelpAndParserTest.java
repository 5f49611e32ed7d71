package instantid.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --help on every verb, the top-level usage, and the parser's rules, with no model anywhere. */
class HelpAndParserTest {

    record Run(int status, String out, String err) {
    }

    static Run run(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8), e = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream oldOut = System.out, oldErr = System.err;
        int s;
        try {
            System.setOut(o); // verbs print to System.out / System.err
            System.setErr(e);
            s = Main.run(argv, o, e);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Run(s, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyVerbPrintsItsHelpToStdoutWithEveryOptionItsDefaultRangeAndAnExample() {
        for (Verb v : Main.verbs().values()) {
            // broken arguments beside --help do not matter: nothing is parsed or loaded
            Run r = run(v.name(), "--no-such-option", "--help", "--steps");
            assertEquals(0, r.status(), v.name() + ": " + r.err());
            assertEquals("", r.err(), v.name() + " --help writes nothing to stderr");
            assertTrue(r.out().startsWith("Usage: java -jar target/instantid.jar " + v.name()), r.out());
            assertTrue(r.out().contains("Example"), v.name() + " has an example");
            for (OptionSpec s : v.options().specs()) {
                assertTrue(r.out().contains(s.flagName()), v.name() + " documents " + s.flagName());
                if (s.dflt() != null && !s.dflt().isEmpty()) {
                    assertTrue(r.out().contains("default " + s.dflt()), v.name() + " " + s.flagName() + " default\n" + r.out());
                }
                if (!s.range().isEmpty()) {
                    assertTrue(r.out().contains("range" + s.range().replace("(", "").replace(")", "")), s.flagName() + " range");
                }
            }
            assertEquals(r.out(), run("help", v.name()).out(), "help VERB = VERB --help");
        }
        assertTrue(run("generate", "--help").out().contains("--steps N                   denoising steps (4-8 with LCM) [default 30; range 1..1000]"));
    }

    @Test
    void topLevelUsageListsEveryVerbOnStdoutWhenAskedAndOnStderrWithStatus2ForAnUnknownVerb() {
        for (String ask : new String[] {"--help", "help", "-h"}) {
            Run r = run(ask);
            assertEquals(0, r.status());
            assertEquals("", r.err());
            for (Verb v : Main.verbs().values()) {
                assertEquals(1, r.out().lines().filter(l -> l.startsWith("  " + v.name() + " ")).count(), v.name() + "\n" + r.out());
            }
        }
        Run bad = run("genrate");
        assertEquals(2, bad.status());
        assertEquals("", bad.out());
        assertTrue(bad.err().startsWith("error: unknown verb 'genrate'") && bad.err().contains("  generate "), bad.err());
        assertEquals(2, run().status());
    }

    @Test
    void parserRules() {
        Options o = Options.of("v", "A verb.", "v --n 3",
                OptionSpec.integer("n", 1, 1, 10, "a count"),
                OptionSpec.text("t", "TEXT", null, "text"),
                OptionSpec.text("many", "X", null, "repeat").repeatable(),
                OptionSpec.flag("f", "a flag"),
                OptionSpec.longInt("seed", -1, -1, CommonOptions.MAX_SEED, "seed"),
                OptionSpec.size("size", null, 64, 4096, "size"));
        Args a = o.parse(new String[] {"--n=4", "--t", "-starts with a dash", "--many", "a", "--many", "b", "--f", "--seed", "-1"});
        assertEquals(4, a.integer("n"));
        assertEquals("-starts with a dash", a.get("t"), "a value may start with a single dash");
        assertEquals(List.of("a", "b"), a.all("many"));
        assertTrue(a.flag("f"));
        assertEquals(-1, a.longValue("seed"));
        assertEquals(1, o.parse(new String[0]).integer("n"), "the declared default");
        assertEquals("--t=--x", "--t=" + o.parse(new String[] {"--t=--x"}).get("t"), "--name=VALUE takes any text");
        assertEquals(List.of(128, 64), List.of(o.parse(new String[] {"--size", "128X64"}).size("size")[0], 64));
        assertThrows(UsageException.class, () -> o.parse(new String[] {"--f=maybe"}));
        assertThrows(UsageException.class, () -> o.parse(new String[] {"--n", "11"}));
        assertThrows(UsageException.class, () -> o.parse(new String[] {"--n", "1.5"}));
        assertThrows(UsageException.class, () -> o.parse(new String[] {"--seed", "-2"}));
        assertThrows(UsageException.class, () -> o.parse(new String[] {"--seed", Long.toString(CommonOptions.MAX_SEED + 1)}));
        assertEquals(CommonOptions.MAX_SEED, o.parse(new String[] {"--seed", Long.toString(CommonOptions.MAX_SEED)}).longValue("seed"));
        assertThrows(UsageException.class, () -> o.parse(new String[] {"--t"}));
        assertThrows(UsageException.class, () -> o.parse(new String[] {"word"}));
        UsageException e = assertThrows(UsageException.class, () -> o.parse(new String[] {"--sed", "3"}));
        assertTrue(e.getMessage().contains("did you mean --seed?"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> a.get("undeclared"), "reading an undeclared option is a bug");
        Options p = o.positional("FILE...", 1);
        assertEquals(List.of("x", "--not-an-option"), p.parse(new String[] {"x", "--", "--not-an-option"}).positional());
        assertThrows(UsageException.class, () -> p.parse(new String[0]));
    }

    @Test
    void parityOnAFolderWithNoCasesFails(@TempDir Path tmp) throws Exception {
        Run r = run("parity", tmp.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("no case folders"), r.err());
        assertEquals(2, run("parity", tmp.resolve("missing").toString()).status());
        assertEquals(2, run("parity").status());
    }

    @Test
    void randomModelLeavesNoHalfWrittenFolderWhenItFails(@TempDir Path tmp) throws Exception {
        Path fx = instantid.parity.FixturesTest.requireFixtures();
        // a config folder without ControlNetModel/: --with-instantid fails after the SDXL networks are written
        Path cfg = tmp.resolve("cfg");
        for (String c : new String[] {"unet/config.json", "vae/config.json", "text_encoder/config.json",
                "text_encoder_2/config.json", "scheduler/scheduler_config.json"}) {
            Files.createDirectories(cfg.resolve(c).getParent());
            Files.copy(fx.resolve("pipeline_sdxl_tiny").resolve(c), cfg.resolve(c));
        }
        Path out = tmp.resolve("model");
        Run r = run("random-model", "--out", out.toString(), "--config", tmp.resolve("no-such-config").toString(), "--with-instantid");
        assertEquals(2, r.status(), r.err());
        Run r2 = run("random-model", "--out", out.toString(), "--config", cfg.toString(), "--with-instantid");
        assertEquals(2, r2.status(), r2.err());
        assertTrue(r2.err().contains("ControlNetModel"), r2.err());
        assertTrue(r2.err().contains("writing unet"), "it failed late, after writing networks:\n" + r2.err());
        try (var s = Files.list(tmp)) {
            assertEquals(List.of("cfg"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "neither the folder nor its temporary sibling is left");
        }
    }
}
