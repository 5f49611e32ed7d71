package instantid.cli;

import instantid.bench.Bench;
import instantid.pipeline.MemoryMode;
import instantid.pipeline.ModelPaths;
import instantid.pipeline.RuntimeOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code bench}: speed and memory figures for a model folder (see {@link Bench}); a table and JSON. */
public final class BenchVerb implements Verb {

    static final Set<String> KNOWN = Set.of("models", "checkpoint", "size", "batch", "dtype", "device", "steps", "warmup",
            "pipeline", "identities", "json", "image-steps", "memory", "help");

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "bench --models DIR [--size WxH --dtype fp32 --steps 3 --pipeline sdxl|instantid --identities K"
                + " --memory auto|full|offload|sequential|all --json F]";
    }

    @Override
    public int run(Args a) throws Exception {
        List<String> unknown = a.unknown(KNOWN);
        if (!unknown.isEmpty()) throw new IllegalArgumentException("unknown option(s) " + unknown + " for bench; known: " + KNOWN);
        if (!a.has("models")) throw new IllegalArgumentException("give --models DIR (a real model, or one made by random-model)");
        int[] size = CliModels.size(a.get("size", "1024x1024"));
        if (size[0] % 8 != 0 || size[1] % 8 != 0) throw new IllegalArgumentException("--size must be multiples of 8");
        Path ck = a.has("checkpoint") ? Path.of(a.get("checkpoint", null)) : null;
        String pipeline = a.get("pipeline", "sdxl");
        if (!pipeline.equals("sdxl") && !pipeline.equals("instantid")) {
            throw new IllegalArgumentException("--pipeline is sdxl or instantid, not " + pipeline);
        }
        // --memory MODE runs everything in MODE; --memory all (or a list: full,offload) adds one image per mode
        String mem = a.get("memory", "auto");
        List<MemoryMode> modes = new java.util.ArrayList<>();
        if (mem.equals("all")) modes.addAll(List.of(MemoryMode.SEQUENTIAL, MemoryMode.OFFLOAD, MemoryMode.FULL));
        else if (mem.contains(",")) for (String s : mem.split(",")) modes.add(MemoryMode.parse(s));
        Bench.Options o = new Bench.Options(ModelPaths.inFolder(Path.of(a.get("models", null)), ck, null),
                new RuntimeOptions(a.get("device", "auto"), a.get("dtype", "auto"), modes.isEmpty() ? mem : "auto"), size[0], size[1],
                a.getInt("batch", 1), a.getInt("steps", 3), a.getInt("warmup", 1), pipeline.equals("instantid"),
                a.getInt("identities", 1), a.getInt("image-steps", 2), modes);
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
