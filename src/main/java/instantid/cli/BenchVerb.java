package instantid.cli;

import instantid.bench.Bench;
import instantid.bench.StepVariant;
import instantid.pipeline.MemoryMode;
import instantid.pipeline.ModelPaths;
import instantid.pipeline.RuntimeOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code bench}: speed and memory figures for a model folder (see {@link Bench}); a table and JSON. */
public final class BenchVerb implements Verb {

    static final Options OPTIONS = Options.of("bench",
            "Speed and memory figures for a model folder (load, UNet step, IdentityNet pass, VAE decode, memory peak), "
                    + "as a table and optionally JSON.",
            Help.JAR + " bench --models demo/sdxl --size 128x128 --steps 2",
            OptionSpec.path("models", "DIR", null, "model folder: a real one, or one made by random-model (required)"),
            CommonOptions.MODELS.get(1),
            OptionSpec.size("size", "1024x1024", 64, 4096, "image size"),
            OptionSpec.integer("batch", 1, 1, 64, "images per UNet call"),
            OptionSpec.integer("steps", 3, 1, 1000, "timed UNet steps"),
            OptionSpec.integer("warmup", 1, 0, 100, "untimed steps first"),
            OptionSpec.choice("pipeline", "sdxl", List.of("sdxl", "instantid"), "what to time"),
            OptionSpec.integer("identities", 1, 1, 8, "identities (instantid)"),
            OptionSpec.integer("image-steps", 2, 0, 1000, "steps of the timed whole image (0: none)"),
            OptionSpec.path("json", "FILE", null, "also write the figures as JSON"),
            OptionSpec.text("attention", "LIST", "fused", "attention kernel of the timed steps and decode: fused, composed,"
                    + " or fused,composed to time both (the first is the headline figure and the whole image's)")
                    .check(v -> StepVariant.parse(v, "narrow")),
            OptionSpec.text("hold", "LIST", "narrow", "float16 weights of the timed steps: narrow (cast at each use), wide"
                    + " (held as float32), or narrow,wide").check(v -> StepVariant.parse("fused", v)),
            CommonOptions.RUNTIME,
            OptionSpec.text("memory", "MODE", "auto", "auto, full, offload or sequential for the whole run; all (or a list"
                    + " such as full,offload) adds one timed image per mode, leanest first").check(BenchVerb::modes));

    @Override
    public Options options() {
        return OPTIONS;
    }

    /** The modes that get an image of their own: none for one mode, all three for "all", else the list given. */
    static List<MemoryMode> modes(String mem) {
        List<MemoryMode> modes = new java.util.ArrayList<>();
        if (mem.equals("all")) modes.addAll(List.of(MemoryMode.SEQUENTIAL, MemoryMode.OFFLOAD, MemoryMode.FULL));
        else if (mem.contains(",")) for (String m : mem.split(",")) modes.add(MemoryMode.parse(m.trim()));
        else MemoryMode.parse(mem);
        return modes;
    }

    @Override
    public int run(Args a) throws Exception {
        int[] size = a.size("size");
        String pipeline = a.get("pipeline");
        String mem = a.get("memory");
        List<MemoryMode> modes = modes(mem);
        Bench.Options o = new Bench.Options(ModelPaths.inFolder(Path.of(a.required("models")), a.path("checkpoint"), null),
                new RuntimeOptions(a.get("device"), a.get("dtype"), modes.isEmpty() ? mem : "auto"), size[0], size[1],
                a.integer("batch"), a.integer("steps"), a.integer("warmup"), pipeline.equals("instantid"),
                a.integer("identities"), a.integer("image-steps"), modes, a.get("attention"), a.get("hold"));
        Map<String, Object> r = Bench.run(o, System.err::println);
        System.out.println("| figure | value |");
        System.out.println("|---|---|");
        for (Map.Entry<String, Object> e : r.entrySet()) {
            System.out.println(String.format(Locale.ROOT, "| %s | %s |", e.getKey(), e.getValue()));
        }
        if (a.has("json")) {
            Bench.writeJson(Path.of(a.get("json", null)), r);
            System.err.println("wrote " + a.get("json", null));
        }
        return 0;
    }
}
