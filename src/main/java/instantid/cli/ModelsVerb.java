package instantid.cli;

import instantid.models.Downloader;
import instantid.models.FileCheck;
import instantid.models.GpuNatives;
import instantid.models.Manifest;
import instantid.models.ModelFile;
import instantid.models.ModelManager;
import instantid.models.NativeInfo;
import instantid.models.Progress;
import instantid.models.Role;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code models [--dir D] [--list] [--download [--accept-licence]] [--use ROLE=PATH] [--forget ROLE]
 * [--check] [--hub URL] [--token T] [--natives] [--install-gpu | --uninstall-gpu]}: what is installed, what is missing and how to get it.
 */
public final class ModelsVerb implements Verb {

    static final Options OPTIONS = Options.of("models",
            "Model files: what is installed and missing, downloading them (with their licences), using your own files.",
            Help.JAR + " models --download --accept-licence",
            OptionSpec.path("dir", "DIR", null, "models folder (default: $INSTANTID_MODELS, else ~/.instantid/models)"),
            OptionSpec.flag("list", "every file of the manifest, its source and whether it is there"),
            OptionSpec.flag("download", "download what is missing (about 11.4 GB in all; shows the licences first)"),
            OptionSpec.text("with", "style,reference", null, "with --download: also the optional IP-Adapter SDXL files (styles, reference objects)"),
            OptionSpec.flag("accept-licence", "accept the insightface face models' non-commercial licence for --download"),
            OptionSpec.text("use", "ROLE=PATH", null, "use your own file or folder for a role (" + roles() + "), checked first").repeatable(),
            OptionSpec.text("forget", "ROLE", null, "use the models folder again for ROLE").repeatable(),
            OptionSpec.flag("check", "check every present role is the right kind of file"),
            OptionSpec.text("hub", "URL", null, "store a hub mirror"),
            OptionSpec.text("token", "TOKEN", null, "store an access token for gated models"),
            OptionSpec.flag("natives", "the deep-learning engine, natives and device in use"),
            OptionSpec.flag("install-gpu", "download DJL's PyTorch " + NativeInfo.LIBTORCH_VERSION
                    + " CUDA 12.8 natives (~2-3 GB) and use them from the next start"),
            OptionSpec.flag("uninstall-gpu", "remove them: the bundled CPU natives are used from the next start"));

    @Override
    public Options options() {
        return OPTIONS;
    }

    @Override
    public int run(Args args) throws Exception {
        if (args.flag("install-gpu") || args.flag("uninstall-gpu")) {
            if (args.flag("install-gpu") && args.flag("uninstall-gpu")) {
                throw new UsageException("give --install-gpu or --uninstall-gpu, not both");
            }
            return GpuInstall.run(GpuNatives.standard(), args.flag("install-gpu"), System.out);
        }
        Path dir = args.has("dir") ? args.path("dir") : ModelManager.defaultFolder();
        ModelManager mm = new ModelManager(dir, Manifest.bundled());
        if (args.has("hub")) mm.setHubBase(args.get("hub"));
        if (args.has("token")) mm.setHubToken(args.get("token"));
        int status = 0;
        for (String f : args.all("forget")) mm.forget(Role.of(f));
        for (String u : args.all("use")) {
            int eq = u.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--use expects ROLE=PATH (roles: " + roles() + "), got '" + u + "'");
            FileCheck.Result r = mm.useOwn(Role.of(u.substring(0, eq)), Path.of(u.substring(eq + 1)));
            System.out.println((r.ok() ? "using " + r.path() + ": " : "NOT used: ") + r.message());
            if (!r.ok()) status = 2;
        }
        if (args.flag("list")) list(mm);
        if (args.flag("natives")) System.out.println(NativeInfo.describe());
        if (args.flag("download")) {
            int s = download(mm, args.flag("accept-licence"), optional(args.get("with", "")));
            if (s != 0) return s;
        }
        System.out.print(mm.report());
        if (!args.flag("list")) {
            System.out.println("Pinned revision and SHA-256 of each file:");
            for (ModelFile f : mm.manifest().files()) System.out.println("  " + f.target() + "  " + mm.trustLine(f));
        }
        if (args.flag("check")) {
            for (String problem : mm.checkTrust(true)) {
                System.out.println("  [CHANGED]    " + problem);
                status = 1;
            }
            for (Map.Entry<Role, FileCheck.Result> e : mm.verify().entrySet()) {
                FileCheck.Result r = e.getValue();
                System.out.println((r.ok() ? "  [right kind] " : "  [WRONG]      ") + e.getKey().id() + ": " + r.message());
                if (!r.ok()) status = 1;
            }
        }
        return status;
    }

    /** --with style,reference (or all): the optional roles to download too. */
    static Set<Role> optional(String with) {
        Set<Role> out = new java.util.HashSet<>();
        for (String w : with.split(",")) {
            switch (w.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "" -> { }
                case "style" -> out.addAll(List.of(Role.STYLE_ADAPTER, Role.STYLE_ENCODER));
                case "reference" -> out.addAll(List.of(Role.REFERENCE_ADAPTER, Role.REFERENCE_ENCODER));
                case "all" -> out.addAll(List.of(Role.STYLE_ADAPTER, Role.STYLE_ENCODER, Role.REFERENCE_ADAPTER, Role.REFERENCE_ENCODER));
                default -> throw new UsageException("--with '" + w + "': use style, reference or all");
            }
        }
        return out;
    }

    private static int download(ModelManager mm, boolean accepted, Set<Role> optional) throws Exception {
        List<ModelFile> todo = mm.toDownload(optional);
        if (todo.isEmpty()) return 0;
        List<String> notes = mm.manifest().licenceNotes(todo);
        System.out.println("Licences of the files to download:");
        for (String n : notes) System.out.println("  - " + n);
        boolean insightface = todo.stream().anyMatch(f -> "insightface".equals(f.licence()));
        if (insightface && !accepted) {
            System.err.println("The face models are for non-commercial research only: add --accept-licence to download them"
                    + " (or point the face roles at your own files with --use).");
            return 2;
        }
        Downloader d = new Downloader(mm.hub());
        System.out.println("Downloading " + todo.size() + " file(s) from " + d.hub() + " into " + mm.folder());
        for (ModelFile f : todo) {
            System.out.println(f.target() + "  <- " + d.hub().url(f));
            Downloader.Result r = d.fetch(f, mm.folder().resolve(f.target()), Downloader.logEvery10Percent(System.out), Interrupt.token());
            System.out.println("  done, " + Progress.bytes(r.size()) + ", verified by " + r.verifiedBy() + (r.resumed() ? " (resumed)" : ""));
        }
        return 0;
    }

    private static void list(ModelManager mm) {
        for (ModelFile f : mm.manifest().files()) {
            boolean there = java.nio.file.Files.isRegularFile(mm.folder().resolve(f.target()));
            System.out.println((there ? "[ok]      " : "[missing] ") + f.role().id() + "  " + f.target());
            System.out.println("          " + mm.hub().url(f) + "  size " + (f.size() >= 0 ? f.size() : "not published"));
            System.out.println("          " + mm.trustLine(f));
            for (instantid.models.Pin alt : f.alternatives()) {
                System.out.println("          also accepted: " + alt.label() + "  sha256 " + alt.sha256());
            }
        }
    }

    private static String roles() {
        StringBuilder sb = new StringBuilder();
        for (Role r : Role.values()) sb.append(sb.length() == 0 ? "" : ", ").append(r.id());
        return sb.toString();
    }
}
