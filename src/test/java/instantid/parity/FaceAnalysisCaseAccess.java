package instantid.parity;

import java.nio.file.Path;

/** Runs the face_analysis runner on one case folder and returns its parity line (for face tests). */
public final class FaceAnalysisCaseAccess {

    private FaceAnalysisCaseAccess() {
    }

    public static String runFixture(Path caseDir) {
        return Parity.runOne(caseDir, java.util.Map.of("face_analysis", new FaceAnalysisCase()))
                .line(caseDir.getFileName().toString());
    }
}
