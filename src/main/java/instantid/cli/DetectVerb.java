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
import java.util.Set;

/**
 * {@code detect IMAGE...}: faces (box, score, five keypoints) of each image as table rows, and with
 * several images the cosine similarity of their largest faces' embeddings (same person or not).
 */
public final class DetectVerb implements Verb {

    static final Set<String> KNOWN = Set.of("face-models", "det-thresh", "det-size", "help");

    @Override
    public String name() {
        return "detect";
    }

    @Override
    public String summary() {
        return "detect --face-models DIR IMAGE...   faces, keypoints, and similarity between images";
    }

    @Override
    public int run(Args a) throws Exception {
        List<String> unknown = a.unknown(KNOWN);
        if (!unknown.isEmpty()) throw new IllegalArgumentException("unknown option(s) " + unknown + " for detect; known: " + KNOWN);
        if (a.positional().isEmpty()) throw new IllegalArgumentException("give one or more image files");
        if (!a.has("face-models")) throw new IllegalArgumentException("give --face-models DIR (detector and recogniser .onnx)");
        FaceModelFiles fm = FaceModelFiles.in(Path.of(a.get("face-models", null)));
        int size = a.getInt("det-size", 640);
        DetectOptions o = DetectOptions.defaults().withThreshold((float) a.getDouble("det-thresh", 0.5)).withDetSize(size, size);
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
