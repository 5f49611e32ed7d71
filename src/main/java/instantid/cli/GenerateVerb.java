package instantid.cli;

import instantid.face.DetectOptions;
import instantid.face.FaceAnalysis;
import instantid.face.FaceModelFiles;
import instantid.image.PhotoFaces;
import instantid.image.PreparedPhoto;
import instantid.pipeline.Embeddings;
import instantid.pipeline.GenerationSettings;
import instantid.pipeline.Identity;
import instantid.pipeline.InstantIdPipeline;
import instantid.pipeline.InstantIdRequest;
import instantid.pipeline.ModelPaths;
import instantid.pipeline.Result;
import instantid.pipeline.RuntimeOptions;
import instantid.pipeline.SettingsJson;

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
            "combine", "ip-blocks", "settings", "help");

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
        InstantIdRequest request;
        if (a.has("settings")) {
            request = SettingsJson.readInstantId(Files.readString(Path.of(a.get("settings", null))));
            if (a.has("seed")) {
                request = new InstantIdRequest(request.generation().withSeed(a.getLong("seed", 0)), request.identities(),
                        request.controlStart(), request.controlEnd(), request.ipBlockScales());
            }
        } else {
            request = fromFaces(a, paths);
        }
        request.validate();
        CliProgress progress = new CliProgress();
        try (InstantIdPipeline p = InstantIdPipeline.load(paths, rt, progress)) {
            progress.status("running on " + p.deviceDescription());
            Result r = p.generate(request, progress);
            for (Path f : Outputs.write(out, r)) System.out.println("wrote " + f + " (settings in " + f.toString().replaceAll("\\.png$", ".json") + ")");
        }
        return 0;
    }

    private static InstantIdRequest fromFaces(Args a, ModelPaths paths) throws Exception {
        List<String> faces = a.all("face");
        if (faces.isEmpty()) {
            throw new IllegalArgumentException("give at least one --face IMAGE (several photos of one person may be given)");
        }
        GenerationSettings g0 = CliModels.generation(a, "euler");
        g0.validate(); // size, steps, guidance, LoRA files: before any face or model is loaded
        float thresh = (float) a.getDouble("det-thresh", 0.5);
        DetectOptions opts = DetectOptions.defaults().withThreshold(thresh);
        FaceModelFiles fm = CliModels.faceModels(a, paths);
        List<float[]> embeddings = new ArrayList<>();
        // as the app: load_image, resize_img (1280 / 1024), then detect and embed on the resized photo
        PhotoFaces.Found poseFace;
        PreparedPhoto posePhoto;
        try (FaceAnalysis fa = new FaceAnalysis(fm.detector(), fm.recognizer())) {
            PhotoFaces.Found first = null;
            PreparedPhoto firstPhoto = null;
            for (String f : faces) {
                PreparedPhoto photo = Photos.prepare(f);
                PhotoFaces.Found face = PhotoFaces.choose(fa, photo, f, opts);
                embeddings.add(face.embedding());
                if (first == null) {
                    first = face;
                    firstPhoto = photo;
                }
            }
            if (a.has("pose")) {
                String pose = a.get("pose", null);
                posePhoto = Photos.prepare(pose);
                poseFace = PhotoFaces.choose(fa, posePhoto, pose, opts);
            } else {
                posePhoto = firstPhoto;
                poseFace = first;
            }
        }
        // the output size defaults to the resized pose (else face) image, as the app generates
        int w = a.has("size") ? g0.width() : posePhoto.resized().width();
        int h = a.has("size") ? g0.height() : posePhoto.resized().height();
        float[] kps = a.has("kps") ? CliModels.floats(a.get("kps", null), 10, "--kps")
                : PhotoFaces.keypointsFor(posePhoto, poseFace, w, h);
        float[] embedding = Embeddings.combine(embeddings, Embeddings.Combine.parse(a.get("combine", "mean")));
        Identity id = new Identity(embedding, kps, a.getDouble("ip-scale", 0.8), a.getDouble("identitynet-scale", 0.8));
        return new InstantIdRequest(g0.withSize(w, h), List.of(id), a.getDouble("identitynet-start", 0.0),
                a.getDouble("identitynet-end", 1.0), CliModels.blockScales(a.get("ip-blocks", "all")));
    }
}
