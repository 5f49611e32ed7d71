package instantid.cli;

import instantid.face.DetectOptions;
import instantid.face.Face;
import instantid.face.FaceAnalysis;
import instantid.face.RgbImage;
import instantid.pipeline.Embeddings;
import instantid.pipeline.GenerationSettings;
import instantid.pipeline.Identity;
import instantid.pipeline.InstantIdPipeline;
import instantid.pipeline.InstantIdRequest;
import instantid.pipeline.KeypointImage;
import instantid.pipeline.ModelPaths;
import instantid.pipeline.Result;
import instantid.pipeline.RuntimeOptions;
import instantid.pipeline.SettingsJson;
import instantid.pipeline.SizeRule;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code generate}: the main job. Faces from photos (or settings from a previous run) → InstantID
 * → PNG + settings. Everything that can be checked is checked before a model loads.
 */
public final class GenerateVerb implements Verb {

    static final Set<String> KNOWN = Set.of("models", "checkpoint", "face-models", "face", "pose", "kps", "prompt",
            "negative-prompt", "steps", "guidance", "ip-scale", "identitynet-scale", "identitynet-start",
            "identitynet-end", "size", "seed", "sampler", "lora", "det-thresh", "device", "dtype", "out", "num-images",
            "combine", "ip-blocks", "settings", "id-map", "help");

    @Override
    public String name() {
        return "generate";
    }

    @Override
    public String summary() {
        return "generate --face IMG [--pose IMG] --prompt P --out F.png [--models DIR --face-models DIR ...]  InstantID";
    }

    @Override
    public int run(Args a) throws Exception {
        List<String> unknown = a.unknown(KNOWN);
        if (!unknown.isEmpty()) throw new IllegalArgumentException("unknown option(s) " + unknown + " for generate; known: " + KNOWN);
        Path out = Path.of(a.get("out", "instantid.png"));
        ModelPaths paths = CliModels.paths(a);
        String missing = paths.missingForInstantId();
        if (missing != null) throw new IllegalArgumentException(missing + CliModels.hint(a));
        RuntimeOptions rt = new RuntimeOptions(a.get("device", "auto"), a.get("dtype", "fp32"));
        if (!a.has("settings")) CliModels.generation(a, "euler").validate(); // before any face or model is loaded
        try (FaceAnalysis fa = Scoring.open(paths)) {
            InstantIdRequest request = request(a, paths, fa);
            CliProgress progress = new CliProgress();
            try (InstantIdPipeline p = InstantIdPipeline.load(paths, rt, progress)) {
                progress.status("running on " + p.deviceDescription());
                Result r = Scoring.score(p.generate(request, progress, a.has("id-map")), request, fa, Scoring.options(a));
                List<Path> files = Outputs.write(out, r);
                for (int i = 0; i < files.size(); i++) System.out.println(Outputs.line(files.get(i), r, i));
            }
        }
        return 0;
    }

    /**
     * The request of one generate command line (also a sweep's, and a batch row's): from
     * {@code --settings} (with {@code --seed} overriding), or from face photos analysed with
     * {@code faces} (which must then be open). Validated.
     */
    static InstantIdRequest request(Args a, ModelPaths paths, FaceAnalysis faces) throws Exception {
        InstantIdRequest request;
        if (a.has("settings")) {
            request = SettingsJson.readInstantId(Files.readString(Path.of(a.get("settings", null))));
            if (a.has("seed")) {
                request = new InstantIdRequest(request.generation().withSeed(a.getLong("seed", 0)), request.identities(),
                        request.controlStart(), request.controlEnd(), request.ipBlockScales());
            }
        } else {
            if (faces == null) CliModels.faceModels(a, paths); // throws the message naming --face-models
            request = fromFaces(a, faces);
        }
        request.validate();
        return request;
    }

    private static InstantIdRequest fromFaces(Args a, FaceAnalysis fa) throws Exception {
        List<String> faces = a.all("face");
        if (faces.isEmpty()) {
            throw new IllegalArgumentException("give at least one --face IMAGE (several photos of one person may be given)");
        }
        GenerationSettings g0 = CliModels.generation(a, "euler");
        g0.validate(); // size, steps, guidance, LoRA files: before any face or model is loaded
        float thresh = (float) a.getDouble("det-thresh", 0.5);
        DetectOptions opts = DetectOptions.defaults().withThreshold(thresh);
        List<float[]> embeddings = new ArrayList<>();
        Face poseFace;
        RgbImage poseImage;
        {
            Face first = null;
            RgbImage firstImage = null;
            for (String f : faces) {
                RgbImage img = ImageFiles.read(Path.of(f));
                Face face = fa.embed(img, fa.chooseFace(img, f, opts));
                embeddings.add(face.embedding());
                if (first == null) {
                    first = face;
                    firstImage = img;
                }
            }
            if (a.has("pose")) {
                poseImage = ImageFiles.read(Path.of(a.get("pose", null)));
                poseFace = fa.chooseFace(poseImage, a.get("pose", null), opts);
            } else {
                poseImage = firstImage;
                poseFace = first;
            }
        }
        int w = g0.width(), h = g0.height();
        if (!a.has("size")) {
            SizeRule.Size s = SizeRule.GRADIO_APP.apply(poseImage.width(), poseImage.height());
            w = s.width();
            h = s.height();
        }
        float[] kps;
        if (a.has("kps")) {
            kps = CliModels.floats(a.get("kps", null), 10, "--kps");
        } else {
            float[][] mapped = SizeRule.mapKeypoints(KeypointImage.points(poseFace.kps()), poseImage.width(),
                    poseImage.height(), w, h);
            kps = new float[10];
            for (int i = 0; i < 5; i++) {
                kps[2 * i] = mapped[i][0];
                kps[2 * i + 1] = mapped[i][1];
            }
        }
        float[] embedding = Embeddings.combine(embeddings, Embeddings.Combine.parse(a.get("combine", "mean")));
        Identity id = new Identity(embedding, kps, a.getDouble("ip-scale", 0.8), a.getDouble("identitynet-scale", 0.8));
        return new InstantIdRequest(g0.withSize(w, h), List.of(id), a.getDouble("identitynet-start", 0.0),
                a.getDouble("identitynet-end", 1.0), CliModels.blockScales(a.get("ip-blocks", "all")));
    }
}
