package instantid.cli;

import instantid.face.DetectOptions;
import instantid.face.FaceAnalysis;
import instantid.image.PhotoFaces;
import instantid.request.FaceIdentity;
import instantid.request.Pose;
import instantid.image.PreparedPhoto;
import instantid.pipeline.Embeddings;
import instantid.pipeline.GenerationSettings;
import instantid.pipeline.Identity;
import instantid.pipeline.InstantIdPipeline;
import instantid.pipeline.InstantIdRequest;
import instantid.pipeline.ModelPaths;
import instantid.pipeline.Result;
import instantid.pipeline.RuntimeOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code generate}: the main job. Faces from photos (or settings from a previous run) → InstantID
 * → image + settings. Everything that can be checked (arguments, output place, model files) is
 * checked before a model loads.
 */
public final class GenerateVerb implements Verb {

    /**
     * Options that only make sense when the identity comes from photos, not from --settings
     * (--det-thresh does: it is also the detection threshold of the outputs' identity score).
     */
    private static final List<String> FACE_ONLY = List.of("face", "pose", "combine");

    static final Options OPTIONS = Options.of("generate",
            "InstantID: new images of the person in the --face photo(s), posed like --pose (default: the face photo), "
                    + "from a prompt. Several photos of one person are combined (--combine).",
            Help.JAR + " generate --models demo/sdxl --face-models demo/faces --face examples/portrait.png"
                    + " --prompt \"analog film photo of a man\" --size 128x128 --steps 4 --seed 42 --out out/portrait.png",
            CommonOptions.MODELS,
            OptionSpec.path("face-models", "DIR", null, "folder with the face detector and recogniser .onnx (antelopev2)"),
            OptionSpec.path("face", "IMG", null, "a photo of the person (the largest face is used)").repeatable(),
            OptionSpec.choice("combine", "mean", List.of("mean", "normalized_mean"), "how several photos' embeddings combine"),
            OptionSpec.path("pose", "IMG", null, "photo whose face position the image takes (default: the first --face)"),
            OptionSpec.text("kps", "x0,y0,...,x4,y4", null, "the five face keypoints in output pixels, instead of --pose")
                    .check(CliModels::kps),
            CommonOptions.GENERATION,
            OptionSpec.number("ip-scale", 0.8, 0, 2, "weight of the identity tokens (image adapter)"),
            OptionSpec.number("identitynet-scale", 0.8, 0, 2, "weight of IdentityNet (the keypoint ControlNet)"),
            OptionSpec.number("identitynet-start", 0, 0, 1, "fraction of the steps at which IdentityNet starts"),
            OptionSpec.number("identitynet-end", 1, 0, 1, "fraction of the steps at which IdentityNet stops"),
            OptionSpec.text("ip-blocks", "SPEC", "all", "where the identity acts: all, style, style+layout "
                    + "(InstantStyle) or PREFIX=SCALE,...").check(CliModels::blockScales),
            OptionSpec.number("det-thresh", 0.5, 0.01, 1, "face detection threshold (photos, and the outputs'"
                    + " identity score)"),
            OptionSpec.flag("no-enhance-face-region", "let the identity act on the whole picture (the app's"
                    + " \"enhance non-face region\" is on by default: IdentityNet and the adapter act inside the face box)"),
            OptionSpec.flag("id-map", "also write each image's ID-attention map as NAME-idmap.png (where the identity acts;"
                    + " see docs/identity-score.md)"),
            CommonOptions.RUNTIME, CommonOptions.MEMORY,
            CommonOptions.output("instantid.png"), ImagePromptOptions.SPECS)
            .example(Help.JAR + " generate --settings out/portrait.json --steps 30 --out out/portrait-30.png"
                    + "   (an earlier image, 30 steps instead)");

    @Override
    public Options options() {
        return OPTIONS;
    }

    @Override
    public int run(Args a) throws Exception {
        Checked checked = checked(a);
        GenerationSettings g0 = checked.generation();
        OutputTarget target = OutputTarget.check(a.path("out"), g0.numImages(), a.flag("overwrite"), a.flag("id-map"));
        ModelPaths paths = CliModels.paths(a);
        String missing = paths.missingForInstantId();
        if (missing != null) throw new UsageException(missing + CliModels.hint(a));
        RuntimeOptions rt = new RuntimeOptions(a.get("device"), a.get("dtype"), a.get("memory"));
        // one set of face models for the input faces and the identity score of every output
        try (FaceAnalysis fa = Scoring.open(paths)) {
            InstantIdRequest request = request(a, checked, paths, fa);
            CliProgress progress = new CliProgress(g0.numImages());
            progress.loading("InstantID", paths);
            try (InstantIdPipeline p = InstantIdPipeline.load(paths, rt, progress)) {
                progress.loaded(p.deviceDescription());
                Result r = Scoring.score(p.generate(request, progress, a.flag("id-map")), request, fa, Scoring.options(a));
                List<Path> files = target.write(r);
                for (int i = 0; i < files.size(); i++) System.out.println(OutputTarget.line(files.get(i), r, i));
            }
        }
        return 0;
    }

    /** What the options say before any photo or model is read: the earlier image's request (or null) and the generation settings. */
    record Checked(InstantIdRequest fromFile, GenerationSettings generation) {
    }

    /**
     * Everything about a generate command line (also a sweep's, a batch row's) that can be checked
     * before a model or a photo is read: --settings vs the face options, the generation settings,
     * typed keypoints, the photo files.
     */
    static Checked checked(Args a) throws Exception {
        InstantIdRequest fromFile = null;
        if (a.has("settings")) {
            fromFile = SettingsFile.instantId(a.path("settings"));
            for (String o : FACE_ONLY) {
                if (a.has(o)) throw new UsageException("--" + o + " cannot be used with --settings: the settings hold the identity");
            }
        } else if (a.all("face").isEmpty()) {
            throw new UsageException("give at least one --face IMAGE (or --settings FILE.json of an earlier image)");
        }
        GenerationSettings g0 = CliModels.generation(a, fromFile == null ? null : fromFile.generation());
        g0.requireFiles(); // LoRA files exist
        if (a.has("kps") && (a.has("size") || fromFile != null)) {
            CliModels.kps(a.get("kps")).requireInside(g0.width(), g0.height(), "--kps");
        }
        for (String f : a.all("face")) Photos.requireFile(Path.of(f), "--face");
        if (a.has("pose")) Photos.requireFile(a.path("pose"), "--pose");
        return new Checked(fromFile, g0);
    }

    /**
     * The request of one generate command line (also each seed of a sweep and each batch row): from
     * --settings (typed options overriding), or from the photos prepared as the app does and
     * analysed with {@code faces} (null only when there are no face models: then the message naming
     * --face-models). Validated.
     */
    static InstantIdRequest request(Args a, ModelPaths paths, FaceAnalysis faces) throws Exception {
        return request(a, checked(a), paths, faces);
    }

    /** As {@link #request(Args, ModelPaths, FaceAnalysis)} with the command line already {@link #checked}. */
    static InstantIdRequest request(Args a, Checked c, ModelPaths paths, FaceAnalysis faces) throws Exception {
        InstantIdRequest request;
        if (c.fromFile() != null) {
            request = override(a, c.fromFile(), c.generation());
        } else {
            if (faces == null) CliModels.faceModels(paths); // throws the message naming --face-models
            request = fromFaces(a, faces, c.generation());
        }
        request = request.withImagePrompts(ImagePromptOptions.prompts(a, paths,
                c.fromFile() == null ? List.of() : c.fromFile().imagePrompts()));
        request.requireFiles();
        checkKeypoints(request);
        return request;
    }

    /** The earlier image's request with the typed options in place of its values. */
    static InstantIdRequest override(Args a, InstantIdRequest r, GenerationSettings g) {
        List<Identity> ids = new ArrayList<>();
        if (a.has("kps") && r.identities().size() != 1) {
            throw new UsageException("--kps sets one identity's keypoints; these settings hold " + r.identities().size());
        }
        for (Identity id : r.identities()) {
            ids.add(new Identity(id.embedding(), a.has("kps") ? CliModels.kps(a.get("kps")).flat() : id.kps(),
                    a.has("ip-scale") ? a.number("ip-scale") : id.ipScale(),
                    a.has("identitynet-scale") ? a.number("identitynet-scale") : id.identityNetScale(), id.region(), id.phrase(),
                    id.faceBox()));
        }
        return new InstantIdRequest(g, ids,
                a.has("identitynet-start") ? a.number("identitynet-start") : r.controlStart(),
                a.has("identitynet-end") ? a.number("identitynet-end") : r.controlEnd(),
                a.has("ip-blocks") ? CliModels.blockScales(a.get("ip-blocks")) : r.ipBlockScales(),
                r.enhanceFaceRegion() && !a.flag("no-enhance-face-region"));
    }

    /** Keypoints outside the picture draw nothing for IdentityNet: a typo, so an error. */
    static void checkKeypoints(InstantIdRequest r) {
        for (Identity id : r.identities()) id.keypoints().requireInside(r.generation().width(), r.generation().height(), "--kps");
    }

    private static InstantIdRequest fromFaces(Args a, FaceAnalysis fa, GenerationSettings g0) throws Exception {
        List<String> faces = a.all("face");
        DetectOptions opts = Scoring.options(a);
        List<float[]> embeddings = new ArrayList<>();
        List<String> notes = new ArrayList<>(); // 16-bit / float photos scaled by their display range
        // as the app: load_image, resize_img (1280 / 1024), then detect and embed on the resized photo
        PhotoFaces.Found poseFace;
        PreparedPhoto posePhoto;
        {
            PhotoFaces.Found first = null;
            PreparedPhoto firstPhoto = null;
            for (String f : faces) {
                PreparedPhoto photo = Photos.prepare(f);
                if (photo.conversion() != null) notes.add(f + ": " + photo.conversion());
                PhotoFaces.Found face = PhotoFaces.choose(fa, photo, f, opts);
                embeddings.add(face.embedding());
                if (first == null) {
                    first = face;
                    firstPhoto = photo;
                }
            }
            if (a.has("pose")) {
                String pose = a.get("pose");
                posePhoto = Photos.prepare(pose);
                if (posePhoto.conversion() != null) notes.add(pose + " (pose): " + posePhoto.conversion());
                poseFace = PhotoFaces.choose(fa, posePhoto, pose, opts);
            } else {
                posePhoto = firstPhoto;
                poseFace = first;
            }
        }
        // the output size defaults to the resized pose (else face) image, as the app generates
        int w = a.has("size") ? g0.width() : posePhoto.resized().width();
        int h = a.has("size") ? g0.height() : posePhoto.resized().height();
        Pose pose = a.has("kps") ? Pose.typed(CliModels.kps(a.get("kps")), "--kps") : Pose.face(posePhoto, poseFace);
        Identity id = FaceIdentity.of(embeddings, Embeddings.Combine.parse(a.get("combine")), pose, w, h,
                a.number("ip-scale"), a.number("identitynet-scale"), notes);
        return new InstantIdRequest(g0.withSize(w, h), List.of(id), a.number("identitynet-start"),
                a.number("identitynet-end"), CliModels.blockScales(a.get("ip-blocks")), !a.flag("no-enhance-face-region"));
    }
}
