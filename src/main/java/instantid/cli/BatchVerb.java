package instantid.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import instantid.batch.Manifest;
import instantid.batch.Results;
import instantid.batch.Shard;
import instantid.face.FaceAnalysis;
import instantid.pipeline.IdentityScore;
import instantid.pipeline.InstantIdPipeline;
import instantid.pipeline.InstantIdRequest;
import instantid.pipeline.ModelPaths;
import instantid.pipeline.Result;
import instantid.pipeline.RuntimeOptions;
import instantid.pipeline.SettingsJson;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code batch --manifest FILE --out-dir DIR [--shard i/n]}: one image per manifest row of this
 * shard, written as {@code DIR/<out>} + {@code .json}, with the shard's results table. A row
 * whose PNG and settings exist and whose settings carry the same row fingerprint (values, command
 * line defaults, photo checksums) is skipped, so a killed job is simply started again; a changed
 * row is generated again. Models load once, and only when a row needs generating. Rows that fail
 * (no face, unreadable photo) are recorded and the others go on; the exit status is then 2.
 * {@code batch --merge --out-dir DIR [--manifest FILE]} joins the shards' tables into {@code results.csv}.
 */
public final class BatchVerb implements Verb {

    /** generate's options that apply to every row unless the row has the column. */
    static final List<String> ROW_DEFAULTS = List.of("negative-prompt", "prompt-encoding", "style-template", "steps",
            "guidance", "ip-scale", "identitynet-scale", "identitynet-start", "identitynet-end", "size", "sampler",
            "det-thresh", "combine", "ip-blocks", "no-enhance-face-region");

    private static List<OptionSpec> rowDefaults() {
        List<OptionSpec> l = new ArrayList<>();
        for (String n : ROW_DEFAULTS) l.add(GenerateVerb.OPTIONS.spec(n));
        return l;
    }

    static final Options OPTIONS = Options.of("batch",
            "One image per manifest row (CSV with a header row, or JSON; columns face, prompt, seed, out and optional "
                    + "generate options), of one shard of the rows; resumable (a row done with the same values is skipped); "
                    + "results-shard-I-of-N.csv per shard; --merge joins the shards' tables into results.csv.",
            Help.JAR + " batch --models demo/sdxl --face-models demo/faces --manifest jobs.csv --out-dir out/batch"
                    + " --shard 1/4 --size 128x128 --steps 4",
            CommonOptions.MODELS,
            OptionSpec.path("face-models", "DIR", null, "folder with the face detector and recogniser .onnx (antelopev2)"),
            OptionSpec.path("manifest", "FILE", null, "the rows: .csv with a header row, or .json (see docs/batch.md)"),
            OptionSpec.path("out-dir", "DIR", null, "folder the rows' out paths are relative to; the results tables go here"),
            OptionSpec.text("shard", "I/N", "1/1", "run only the rows of shard I of N (row k belongs to shard (k-1) mod N + 1)")
                    .check(Shard::parse),
            OptionSpec.flag("merge", "join the shards' results tables into results.csv (with --manifest: name rows without a result)"),
            rowDefaults(),
            CommonOptions.RUNTIME, CommonOptions.MEMORY)
            .example(Help.JAR + " batch --merge --out-dir out/batch --manifest jobs.csv   (after every shard ran)");

    @Override
    public Options options() {
        return OPTIONS;
    }

    /** One row of this shard, ready to run or skip. */
    record Planned(Manifest.Row row, Args args, Path png, JsonObject fingerprint) {
    }

    @Override
    public int run(Args a) throws Exception {
        if (!a.has("out-dir")) throw new UsageException("give --out-dir DIR (the manifest's out paths are relative to it)");
        Path dir = a.path("out-dir");
        if (a.flag("merge")) return BatchMerge.run(dir, a.has("manifest") ? Manifest.read(a.path("manifest")) : null);
        if (!a.has("manifest")) throw new UsageException("give --manifest FILE (CSV with a header row, or JSON)");
        Manifest m = Manifest.read(a.path("manifest"));
        Shard shard = Shard.parse(a.get("shard"));
        List<Planned> plan = new ArrayList<>();
        for (Manifest.Row r : m.rows(shard)) plan.add(plan(m, r, a, dir));
        Map<Integer, Results.Line> lines = new LinkedHashMap<>();
        List<Planned> todo = new ArrayList<>();
        for (Planned p : plan) {
            Results.Line done = doneAlready(p);
            if (done != null) lines.put(p.row().number(), done);
            else todo.add(p);
        }
        Path results = dir.resolve(shard.resultsFile());
        int failed = 0;
        if (!todo.isEmpty()) failed = generate(a, todo, lines, results);
        Results.write(results, new ArrayList<>(lines.values()));
        System.out.println("shard " + shard.index() + "/" + shard.count() + ": " + plan.size() + " rows, "
                + (plan.size() - todo.size()) + " skipped (done), " + (todo.size() - failed) + " generated, " + failed
                + " failed; results in " + results);
        return failed > 0 ? 2 : 0;
    }

    private static int generate(Args a, List<Planned> todo, Map<Integer, Results.Line> lines, Path results) throws Exception {
        ModelPaths paths = CliModels.paths(a);
        String missing = paths.missingForInstantId();
        if (missing != null) throw new UsageException(missing + CliModels.hint(a));
        CliModels.faceModels(paths);
        RuntimeOptions rt = new RuntimeOptions(a.get("device"), a.get("dtype"), a.get("memory"));
        int failed = 0;
        CliProgress progress = new CliProgress(todo.size());
        progress.loading("InstantID", paths);
        try (FaceAnalysis fa = Scoring.open(paths); InstantIdPipeline p = InstantIdPipeline.load(paths, rt, progress)) {
            progress.loaded(p.deviceDescription());
            for (Planned job : todo) {
                int n = job.row().number();
                try {
                    InstantIdRequest req = GenerateVerb.request(job.args(), paths, fa);
                    Result r = Scoring.score(p.generate(req, progress), req, fa, Scoring.options(job.args()));
                    JsonObject s = JsonParser.parseString(r.settingsJson()).getAsJsonObject();
                    s.add("batch_row", job.fingerprint());
                    r = new Result(r.images(), SettingsJson.toJson(s), r.scores(), r.idMaps());
                    // a row's file is redone when its fingerprint changed: replacing it is the point
                    OutputTarget.check(job.png(), 1, true).writeOne(r, 0);
                    System.out.println("row " + n + ": " + OutputTarget.line(job.png(), r, 0));
                    IdentityScore sc = r.scores(0).overall();
                    lines.put(n, line(job, sc, "generated", null));
                } catch (IllegalArgumentException | java.io.IOException | instantid.common.UserException e) {
                    failed++;
                    System.err.println("row " + n + " failed: " + e.getMessage());
                    lines.put(n, line(job, null, "failed", e.getMessage()));
                }
                Results.write(results, new ArrayList<>(lines.values())); // after every row: a killed job keeps its table
            }
        }
        return failed;
    }

    static Results.Line line(Planned p, IdentityScore s, String status, String error) {
        return new Results.Line(p.row().number(), p.row().get("out"), p.row().get("seed"), s != null && s.present() ? s.value() : null,
                s != null && !s.present() ? s.reason() : "", status, error);
    }

    /** The results line of a row already done with the same fingerprint, or null. */
    static Results.Line doneAlready(Planned p) {
        Path json = settingsOf(p.png());
        if (!Files.isRegularFile(p.png()) || !Files.isRegularFile(json)) return null;
        try {
            String text = Files.readString(json);
            JsonObject o = JsonParser.parseString(text).getAsJsonObject();
            if (!p.fingerprint().equals(o.get("batch_row"))) return null;
            return line(p, SettingsJson.readScore(text), "skipped", null);
        } catch (java.io.IOException | RuntimeException e) {
            return null; // unreadable settings: generate again
        }
    }

    static Path settingsOf(Path png) {
        return png.resolveSibling(png.getFileName().toString().replaceAll("(?i)\\.png$", "") + ".json");
    }

    /** A row as generate's options: the command line's defaults, then the row's columns (which win). */
    static Planned plan(Manifest m, Manifest.Row r, Args a, Path dir) throws Exception {
        Map<String, String> eff = new LinkedHashMap<>();
        for (String k : ROW_DEFAULTS) if (a.has(k)) eff.put(k.replace('-', '_'), a.get(k));
        eff.putAll(r.values());
        if (eff.containsKey("negative")) eff.put("negative_prompt", eff.remove("negative"));
        List<String> argv = new ArrayList<>();
        List<Path> inputs = new ArrayList<>();
        for (Map.Entry<String, String> e : eff.entrySet()) {
            String k = e.getKey();
            if (k.equals("out")) continue;
            if (k.equals("face") || k.equals("pose") || k.equals("lora")) {
                for (String part : e.getValue().split(";")) {
                    if (part.isBlank()) continue;
                    Path f = k.equals("lora") ? Path.of(part.trim()) : m.resolveInput(part.trim());
                    if (!k.equals("lora")) {
                        if (!Files.isRegularFile(f)) {
                            throw new IllegalArgumentException("manifest " + m.file() + ", row " + r.number() + ": " + k + " photo " + f + " does not exist");
                        }
                        inputs.add(f);
                    }
                    argv.add("--" + k + "=" + (k.equals("lora") ? part.trim() : f.toString()));
                }
            } else {
                argv.add("--" + k.replace('_', '-') + "=" + e.getValue()); // --name=value: a prompt may start with --
            }
        }
        Args rowArgs;
        try {
            // the row is a generate command line: the same parser, checks and request building
            rowArgs = GenerateVerb.OPTIONS.parse(argv.toArray(new String[0]));
            GenerateVerb.checked(rowArgs);
        } catch (IllegalArgumentException e) {
            throw new UsageException("manifest " + m.file() + ", row " + r.number() + ": " + e.getMessage());
        }
        String out = r.get("out");
        Path png = dir.resolve(out.toLowerCase(java.util.Locale.ROOT).endsWith(".png") ? out : out + ".png");
        return new Planned(r, rowArgs, png, Manifest.fingerprint(eff, inputs));
    }
}
