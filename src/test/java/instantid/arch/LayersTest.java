package instantid.arch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layer order of the code base, written down once: a package may use packages of a lower
 * layer and of its own layer (without cycles), never of a higher one. A new package must be placed
 * here before it can be used. No exceptions list.
 */
class LayersTest {

    /** Lowest first. Packages on one line are one layer. */
    static final List<List<String>> LAYERS = List.of(
            List.of("common"),                                   // the user-error type
            List.of("io"),                                       // bytes: safetensors, pickles, zips
            List.of("tensor"),                                   // the op layer: DJL's quirks, dtype, scopes
            List.of("load", "text", "face", "sample", "image"),  // model files, tokenizer, faces, samplers, pixels
            List.of("nn", "lora"),                               // networks; LoRA on their weights
            List.of("pipeline"),                                 // request in, images + settings out
            List.of("models", "photo", "request", "batch"),      // model files on disk, photo files, front-end requests
            List.of("parity", "bench", "doctor"),                // reference cases, measurements, the self-check
            List.of("cli", "fiji", "dist"));                     // front ends and packaging

    private static final Pattern REF = Pattern.compile("\\binstantid\\.([a-z]+)\\.");
    private static final Pattern PKG = Pattern.compile("^package instantid\\.([a-z]+)", Pattern.MULTILINE);

    @Test
    void noPackageUsesAHigherLayerAndPackagesFormNoCycle() throws IOException {
        Map<String, Integer> rank = new TreeMap<>();
        for (int i = 0; i < LAYERS.size(); i++) for (String p : LAYERS.get(i)) rank.put(p, i);
        Map<String, TreeSet<String>> uses = uses(Path.of("src/main/java/instantid"));
        List<String> wrong = new ArrayList<>();
        for (var e : uses.entrySet()) {
            String from = e.getKey();
            if (!rank.containsKey(from)) {
                wrong.add("package instantid." + from + " has no layer: add it to LayersTest.LAYERS");
                continue;
            }
            for (String to : e.getValue()) {
                if (!rank.containsKey(to)) continue; // reported as a package of its own
                if (rank.get(to) > rank.get(from)) {
                    wrong.add(from + " (layer " + rank.get(from) + ") uses " + to + " (layer " + rank.get(to) + ")");
                }
            }
        }
        for (List<String> cycle : cycles(uses)) wrong.add("cycle: " + String.join(" -> ", cycle));
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void theCheckSeesQualifiedNamesAndCycles(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("a"));
        Files.createDirectories(tmp.resolve("b"));
        Files.writeString(tmp.resolve("a/A.java"), "package instantid.a;\n// instantid.c.Comment is not a use\n"
                + "class A { instantid.b.B b; }");
        Files.writeString(tmp.resolve("b/B.java"), "package instantid.b;\nimport instantid.a.A;\nclass B {}");
        Map<String, TreeSet<String>> u = uses(tmp);
        org.junit.jupiter.api.Assertions.assertEquals("{a=[b], b=[a]}", u.toString());
        org.junit.jupiter.api.Assertions.assertEquals(List.of(List.of("a", "b", "a")), cycles(u));
    }

    /** Package -> the other instantid packages its sources name (imports and qualified names). */
    static Map<String, TreeSet<String>> uses(Path root) throws IOException {
        Map<String, TreeSet<String>> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String src = Files.readString(f).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
                Matcher pm = PKG.matcher(src);
                if (!pm.find()) continue;
                String pkg = pm.group(1);
                TreeSet<String> set = out.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = REF.matcher(src.substring(pm.end()));
                while (m.find()) if (!m.group(1).equals(pkg)) set.add(m.group(1));
            }
        }
        return out;
    }

    /** Each package cycle once, found by a depth-first walk. */
    static List<List<String>> cycles(Map<String, TreeSet<String>> g) {
        List<List<String>> found = new ArrayList<>();
        TreeSet<String> done = new TreeSet<>();
        for (String start : g.keySet()) walk(start, g, new ArrayList<>(), done, found);
        return found;
    }

    private static void walk(String p, Map<String, TreeSet<String>> g, List<String> path, TreeSet<String> done,
                             List<List<String>> found) {
        int at = path.indexOf(p);
        if (at >= 0) {
            List<String> c = new ArrayList<>(path.subList(at, path.size()));
            c.add(p);
            found.add(c);
            return;
        }
        if (done.contains(p)) return;
        path.add(p);
        for (String q : g.getOrDefault(p, new TreeSet<>())) walk(q, g, path, done, found);
        path.remove(path.size() - 1);
        done.add(p);
    }
}
