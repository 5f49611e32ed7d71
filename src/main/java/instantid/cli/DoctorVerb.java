package instantid.cli;

import instantid.doctor.Doctor;
import instantid.pipeline.RuntimeOptions;

import java.util.List;
import java.util.Set;

/**
 * {@code doctor [--device auto|cpu|gpu] [--dtype auto|fp32|fp16] [--memory auto|...] [--size WxH]
 * [--no-self-test]}: what runs where (engine, natives and their origin, driver, GPU, free memory,
 * the memory mode "auto" picks) and a self-test on the chosen device; exit 1 with the reason when
 * that device does not work.
 */
public final class DoctorVerb implements Verb {

    private static final Set<String> KNOWN = Set.of("device", "dtype", "memory", "size", "no-self-test", "help");

    @Override
    public String name() {
        return "doctor";
    }

    @Override
    public String summary() {
        return "doctor [--device gpu] [--dtype fp16] [--size 1024x1024]   what runs where, and a self-test on that device";
    }

    @Override
    public int run(Args a) throws Exception {
        List<String> unknown = a.unknown(KNOWN);
        if (!unknown.isEmpty()) throw new IllegalArgumentException("doctor: unknown option(s) " + unknown + "; known: " + KNOWN);
        if (a.has("help")) {
            System.out.println(summary());
            return 0;
        }
        int[] size = CliModels.size(a.get("size", "1024x1024"));
        RuntimeOptions o = new RuntimeOptions(a.get("device", "auto"), a.get("dtype", "auto"), a.get("memory", "auto"));
        Doctor d = Doctor.examine(o, size[0], size[1], !a.has("no-self-test"));
        System.out.print(d.text());
        if (!d.ok()) {
            System.err.println("doctor: the chosen device does not work: " + d.failure());
            return 1;
        }
        return 0;
    }
}
