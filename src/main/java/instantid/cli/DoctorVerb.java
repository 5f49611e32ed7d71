package instantid.cli;

import instantid.doctor.Doctor;
import instantid.pipeline.RuntimeOptions;

/**
 * {@code doctor}: what runs where (engine, natives and their origin, driver, GPU, free memory,
 * the memory mode "auto" picks) and a self-test on the chosen device; exit 1 with the reason when
 * that device does not work.
 */
public final class DoctorVerb implements Verb {

    static final Options OPTIONS = Options.of("doctor",
            "What runs where: engine, natives and where they come from, NVIDIA driver and GPU, free memory, the memory"
                    + " mode auto would pick for --size, and a small self-test on the chosen device compared with the CPU.",
            Help.JAR + " doctor --device gpu --size 1024x1024",
            CommonOptions.RUNTIME, CommonOptions.MEMORY,
            OptionSpec.size("size", "1024x1024", 64, 4096, "image size the memory plan is made for"),
            OptionSpec.flag("no-self-test", "only report, run nothing on the device"));

    @Override
    public Options options() {
        return OPTIONS;
    }

    @Override
    public int run(Args a) throws Exception {
        int[] size = a.size("size");
        RuntimeOptions o = new RuntimeOptions(a.get("device"), a.get("dtype"), a.get("memory"));
        Doctor d = Doctor.examine(o, size[0], size[1], !a.flag("no-self-test"));
        System.out.print(d.text());
        if (!d.ok()) {
            System.err.println("doctor: the chosen device does not work: " + d.failure());
            return 1;
        }
        return 0;
    }
}
