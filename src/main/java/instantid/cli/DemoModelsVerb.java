package instantid.cli;

import instantid.bench.DemoFaceModels;
import instantid.bench.RandomModel;
import instantid.io.DType;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code demo-models}: writes a complete tiny model folder from the jar alone (no download): a
 * small SDXL + IdentityNet + image adapter with random weights (the reference fixtures' tiny
 * configs), a byte-level tokenizer, and demo face models. Everything then runs end to end; the
 * pictures are noise and the "face" is always found near the centre — the real models make
 * portraits (README). Written into a temporary sibling and renamed, so no half-written folder.
 */
public final class DemoModelsVerb implements Verb {

    static final Options OPTIONS = Options.of("demo-models",
            "Writes a tiny demo model folder (random weights, about 30 MB, seconds) so generate runs from a clone "
                    + "with no download; its images are noise, the real models make portraits.",
            Help.JAR + " demo-models --out demo",
            OptionSpec.path("out", "DIR", "demo", "folder to create: DIR/sdxl (SDXL + InstantID), DIR/faces (face models)"),
            OptionSpec.longInt("seed", 0, 0, Long.MAX_VALUE, "seed of the random weights"));

    @Override
    public Options options() {
        return OPTIONS;
    }

    @Override
    public int run(Args a) throws Exception {
        Path out = a.path("out").toAbsolutePath().normalize();
        if (Files.isDirectory(out.resolve("sdxl")) && Files.isDirectory(out.resolve("faces"))) {
            System.out.println(out + " already holds the demo models (delete it to write them again)");
            return 0;
        }
        if (Files.exists(out)) throw new UsageException("--out " + out + " exists but is not a demo folder; give a new folder name");
        long seed = a.longValue("seed");
        RandomModelVerb.writeFolder(out, tmp -> {
            RandomModel.write(tmp.resolve("sdxl"), RandomModel.Configs.tiny(), DType.F32, seed, null, true, System.err::println);
            DemoFaceModels.write(tmp.resolve("faces"), seed);
            Files.writeString(tmp.resolve("README.txt"), """
                    Demo models written by `java -jar target/instantid.jar demo-models`: tiny networks with random
                    weights in the published layouts (sdxl/: SDXL + InstantID's IdentityNet and ip-adapter.bin;
                    faces/: insightface-style ONNX detector and recogniser). They make the whole program run from a
                    clone with no download; the images are noise and the demo detector always "finds" one face near
                    the centre. For real pictures use the real models (README: Real use; `models --download`).
                    """);
        });
        System.out.println("wrote " + out + "  (sdxl/: tiny SDXL + InstantID, faces/: demo face models; "
                + Math.round(CliProgress.weightBytes(out.resolve("sdxl")) / 1e6) + " MB of weights)");
        return 0;
    }
}
