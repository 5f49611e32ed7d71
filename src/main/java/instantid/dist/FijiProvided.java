package instantid.dist;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The runtime dependencies that a current Fiji already ships in its {@code jars/} folder, so our
 * update site must not carry them: a second copy under another version would be treated by the
 * updater as the same file (it compares names without versions) and could replace Fiji's own.
 * One place, each with the reason. Versions are those Fiji's bill of materials (pom-scijava)
 * manages; the plugin only uses long-stable API of each.
 */
public final class FijiProvided {

    private FijiProvided() {
    }

    /** artifactId → why it is not shipped by our site. */
    public static final Map<String, String> ARTIFACTS;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ij", "ImageJ 1.x itself (jars/ij-1.54*.jar); provided scope in pom.xml");
        m.put("scijava-common", "the SciJava framework Fiji runs on; provided scope in pom.xml");
        m.put("parsington", "scijava-common's expression parser, shipped with it");
        m.put("gson", "Fiji ships gson (pom-scijava manages 2.14.0 >= our 2.13.1)");
        m.put("error_prone_annotations", "annotations only (gson's dependency); Fiji ships it with guava");
        m.put("jna", "Fiji ships JNA (pom-scijava manages 5.14.0); DJL uses only Native.load for CUDA detection");
        m.put("commons-compress", "Fiji ships commons-compress (pom-scijava 1.28.0); DJL's dependency");
        m.put("commons-codec", "Fiji ships commons-codec (pom-scijava 1.19.0); commons-compress's dependency");
        m.put("commons-io", "Fiji ships commons-io (pom-scijava 2.20.0); commons-compress's dependency");
        m.put("slf4j-api", "Fiji ships slf4j-api with its logging binding (pom-scijava 2.0.17)");
        m.put("slf4j-nop", "the headless CLI's silent SLF4J binding; Fiji has its own, and a second would make SLF4J warn");
        ARTIFACTS = Map.copyOf(m);
    }

    public static boolean provides(String artifactId) {
        return ARTIFACTS.containsKey(artifactId);
    }
}
