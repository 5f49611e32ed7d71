package instantid.fiji;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The detector and recogniser ONNX files in a face model folder: insightface's {@code antelopev2}
 * ({@code scrfd_10g_bnkps.onnx}, {@code glintr100.onnx}), {@code buffalo_l} ({@code det_10g.onnx},
 * {@code w600k_r50.onnx}) or any pair whose names say which is which (det/scrfd vs.
 * rec/glint/w600k/arcface/r50/r100).
 */
public record FaceModelFiles(Path detector, Path recognizer) {

    public static FaceModelFiles in(Path folder) {
        if (folder == null || !Files.isDirectory(folder)) {
            throw new IllegalArgumentException("face model folder " + folder + " does not exist");
        }
        List<Path> det = new ArrayList<>(), rec = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                if (!n.endsWith(".onnx")) continue;
                if (n.matches(".*(scrfd|det|retina).*")) det.add(p);
                else if (n.matches(".*(rec|glint|w600k|arcface|r50|r100).*")) rec.add(p);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list face model folder " + folder + ": " + e.getMessage());
        }
        if (det.size() != 1 || rec.size() != 1) {
            throw new IllegalArgumentException("face model folder " + folder + " must hold one detector .onnx (name with"
                    + " det/scrfd) and one recogniser .onnx (name with rec/glint/w600k/arcface); found detectors "
                    + det + ", recognisers " + rec);
        }
        return new FaceModelFiles(det.get(0), rec.get(0));
    }
}
