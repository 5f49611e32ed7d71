package instantid.sample;

import instantid.parity.FixturesTestAccess;
import instantid.parity.Outcome;
import instantid.parity.Parity;
import instantid.parity.Runners;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class SchedulerFixturesTest {

    @Test
    void everySchedFixturePasses() throws Exception {
        Path f = FixturesTestAccess.requireFixtures();
        List<Path> cases;
        try (Stream<Path> s = Files.list(f)) {
            cases = s.filter(p -> p.getFileName().toString().startsWith("sched_")).sorted().toList();
        }
        assertFalse(cases.isEmpty(), "no sched_* cases under " + f);
        for (Path c : cases) {
            Outcome o = Parity.runOne(c, Runners.all());
            assertEquals(Outcome.Status.PASS, o.status(), o.line(c.getFileName().toString()));
        }
    }

    @Test
    void theTinyModelsSchedulerConfigReads() throws Exception {
        Path f = FixturesTestAccess.requireFixtures();
        ScheduleConfig c = ScheduleConfig.read(f.resolve("pipeline_sdxl_tiny"));
        assertEquals("EulerDiscreteScheduler", c.className());
        assertEquals("leading", c.timestepSpacing());
        assertEquals(1, c.stepsOffset());
        assertEquals(ScheduleConfig.sdxl().betaEnd(), c.betaEnd());
    }
}
