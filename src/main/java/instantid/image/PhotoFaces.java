package instantid.image;

import instantid.face.DetectOptions;
import instantid.face.Face;
import instantid.face.FaceAnalysis;
import instantid.face.Keypoints;

import java.util.ArrayList;
import java.util.List;

/**
 * Face analysis on a {@link PreparedPhoto} as InstantID's app does it: detection and embedding on
 * the resized image; every face also in the coordinates of the image the user gave. One place for
 * the CLI ({@code detect}, {@code generate}) and the Fiji commands.
 */
public final class PhotoFaces {

    private PhotoFaces() {
    }

    /** One face: as found on the resized image (what IdentityNet's keypoints come from) and in the user's pixels. */
    public record Found(Face onResized, Face inOriginal) {

        /** The raw ArcFace embedding (null when not embedded). */
        public float[] embedding() {
            return onResized.embedding();
        }
    }

    /** Every face, best score first; a ROI in {@code o} is in the user's pixels. No embeddings. */
    public static List<Found> detect(FaceAnalysis fa, PreparedPhoto p, DetectOptions o) {
        List<Found> out = new ArrayList<>();
        for (Face f : fa.detect(p.resized(), p.toResized(o))) {
            Face orig = p.toOriginal(f);
            // the ROI was widened to whole resized pixels: keep only centres inside the user's ROI
            if (o.roi() == null || o.roi().contains(orig.centerX(), orig.centerY())) out.add(new Found(f, orig));
        }
        return out;
    }

    /** The face with its embedding (computed on the resized image). */
    public static Found embed(FaceAnalysis fa, PreparedPhoto p, Found f) {
        Face e = fa.embed(p.resized(), f.onResized());
        return new Found(e, p.toOriginal(e));
    }

    /**
     * The face InstantID uses: the largest (in the ROI when {@code o} has one, in the user's
     * pixels), with its embedding; no face → {@link instantid.face.NoFaceException} naming {@code name}.
     */
    public static Found choose(FaceAnalysis fa, PreparedPhoto p, String name, DetectOptions o) {
        Face f = fa.chooseFace(p.resized(), name, p.toResized(o));
        return new Found(f, p.toOriginal(f));
    }

    /** The largest of {@code faces} (the app's rule, {@link FaceAnalysis#largest}), judged on the resized image. */
    public static Found largest(List<Found> faces) {
        List<Face> r = new ArrayList<>();
        for (Found f : faces) r.add(f.onResized());
        Face best = FaceAnalysis.largest(r);
        return faces.get(r.indexOf(best));
    }

    /** The face's box {x1, y1, x2, y2} on the resized photo, scaled to an {@code outW x outH} output. */
    public static float[] boxFor(PreparedPhoto p, Found f, int outW, int outH) {
        Face b = f.onResized();
        float sx = (float) outW / p.resized().width(), sy = (float) outH / p.resized().height();
        return new float[] {b.x1() * sx, b.y1() * sy, b.x2() * sx, b.y2() * sy};
    }

    /** A face's keypoints on the resized image, scaled to an {@code outW x outH} output. */
    public static Keypoints keypointsFor(PreparedPhoto p, Found f, int outW, int outH) {
        return Keypoints.of(f.onResized().kps()).resized(p.resized().width(), p.resized().height(), outW, outH);
    }
}
