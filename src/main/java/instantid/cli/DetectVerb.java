package instantid.cli;

import instantid.face.DetectOptions;
import instantid.face.Face;
import instantid.face.FaceAnalysis;
import instantid.face.FaceModelFiles;
import instantid.face.Faces;
import instantid.image.PhotoFaces;
import instantid.image.PreparedPhoto;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code detect IMAGE...}: faces (box, score, five keypoints) of each image as table rows, and with
 * several images the cosine similarity of their largest faces' embeddings (same person or not).
 */
public final class DetectVerb implements Verb {

    static final Options OPTIONS = Options.of("detect",
            "Faces (box, score, five keypoints) of each image, and the similarity between the images' largest faces.",
            Help.JAR + " detect --face-models demo/faces examples/portrait.png",
            OptionSpec.path("face-models", "DIR", null, "folder with the face detector and recogniser .onnx (antelopev2)"),
            OptionSpec.number("det-thresh", 0.5, 0.01, 1, "face detection threshold"),
            OptionSpec.integer("det-size", 640, 32, 4096, "detector input size (a multiple of 32)")
                    .check(v -> { if (Integer.parseInt(v) % 32 != 0) throw new IllegalArgumentException("must be a multiple of 32"); }))
            .positional("IMAGE...", 1);

    @Override
    public Options options() {
        return OPTIONS;
    }

    @Override
    public int run(Args a) throws Exception {
        for (String f : a.positional()) Photos.requireFile(Path.of(f), "image");
        FaceModelFiles fm = FaceModelFiles.in(Path.of(a.required("face-models")));
        int size = a.integer("det-size");
        DetectOptions o = DetectOptions.defaults().withThreshold((float) a.number("det-thresh")).withDetSize(size, size);
        List<float[]> embeddings = new ArrayList<>();
        try (FaceAnalysis fa = new FaceAnalysis(fm.detector(), fm.recognizer())) {
            System.out.println("image\tface\tx1\ty1\tx2\ty2\tscore\tkps");
            for (String f : a.positional()) {
                // faces are found on the photo as the app prepares it (upright, resize_img) and
                // reported in the pixels of the upright photo the user gave
                PreparedPhoto photo = Photos.prepare(f);
                List<PhotoFaces.Found> found = PhotoFaces.detect(fa, photo, o);
                for (int i = 0; i < found.size(); i++) {
                    Face face = found.get(i).inOriginal();
                    StringBuilder k = new StringBuilder();
                    for (float v : face.kps()) k.append(k.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.1f", v));
                    System.out.printf(Locale.ROOT, "%s\tface-%d\t%.1f\t%.1f\t%.1f\t%.1f\t%.3f\t%s%n", f, i + 1,
                            face.x1(), face.y1(), face.x2(), face.y2(), face.score(), k);
                }
                if (found.isEmpty()) {
                    System.out.println(f + "\t(no face: try a lower --det-thresh)");
                    embeddings.add(null);
                } else {
                    embeddings.add(PhotoFaces.embed(fa, photo, PhotoFaces.largest(found)).embedding());
                }
            }
        }
        if (a.positional().size() > 1) {
            System.out.println("image_a\timage_b\tcosine_similarity");
            for (int i = 0; i < embeddings.size(); i++) {
                for (int j = i + 1; j < embeddings.size(); j++) {
                    if (embeddings.get(i) == null || embeddings.get(j) == null) continue;
                    System.out.printf(Locale.ROOT, "%s\t%s\t%.4f%n", a.positional().get(i), a.positional().get(j),
                            Faces.cosineSimilarity(embeddings.get(i), embeddings.get(j)));
                }
            }
        }
        return 0;
    }
}
