package instantid.cli;

import instantid.models.Downloader;
import instantid.models.FileCheck;
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
 * [--check] [--hub URL] [--token T] [--natives]}: what is installed, what is missing and how to get it.
 */
public final class ModelsVerb implements Verb {

    private static final Set<String> KNOWN = Set.of("dir", "list", "download", "accept-licence", "use", "forget",
            "check", "hub", "token", "natives", "help", "with");

    @Override
    public String name() {
        return "models";
    }

    @Override
    public String summary() {
        return "models [--dir D] [--list] [--download] [--use ROLE=PATH]   model files: status, download, your own files";
    }

    @Override
    public int run(Args args) throws Exception {
        List<String> unknown = args.unknown(KNOWN);
        if (!unknown.isEmpty()) throw new IllegalArgumentException("models: unknown option(s) " + unknown + "; " + summary());
        if (args.has("help")) {
            System.out.println(summary());
            System.out.println("  --dir D            models folder (default " + ModelManager.defaultFolder() + ")");
            System.out.println("  --list             every file of the manifest, its source and whether it is there");
            System.out.println("  --download         download what is missing (shows the licences; insightface needs --accept-licence)");
            System.out.println("  --with style,reference  also download the optional IP-Adapter SDXL files (styles / reference objects)");
            System.out.println("  --use ROLE=PATH    use your own file/folder for a role (" + roles() + "), checked first");
            System.out.println("  --forget ROLE      use the models folder again for ROLE");
            System.out.println("  --check            check every present role is the right kind of file");
            System.out.println("  --hub URL          store a hub mirror; --token T store an access token for gated models");
            System.out.println("  --natives          the deep-learning engine, natives and device in use");
            return 0;
        }
        Path dir = args.has("dir") ? Path.of(args.get("dir", null)) : ModelManager.defaultFolder();
        ModelManager mm = new ModelManager(dir, Manifest.bundled());
        if (args.has("hub")) mm.setHubBase(args.get("hub", null));
        if (args.has("token")) mm.setHubToken(args.get("token", null));
        int status = 0;
        for (String f : args.all("forget")) mm.forget(Role.of(f));
        for (String u : args.all("use")) {
            int eq = u.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--use expects ROLE=PATH (roles: " + roles() + "), got '" + u + "'");
            FileCheck.Result r = mm.useOwn(Role.of(u.substring(0, eq)), Path.of(u.substring(eq + 1)));
            System.out.println((r.ok() ? "using " + r.path() + ": " : "NOT used: ") + r.message());
            if (!r.ok()) status = 2;
        }
        if (args.has("list")) list(mm);
        if (args.has("natives")) System.out.println(NativeInfo.describe());
        if (args.has("download")) {
            int s = download(mm, args.has("accept-licence"), optional(args.get("with", "")));
            if (s != 0) return s;
        }
        System.out.print(mm.report());
        if (args.has("check")) {
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
                default -> throw new IllegalArgumentException("--with '" + w + "': use style, reference or all");
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
            Downloader.Result r = d.fetch(f, mm.folder().resolve(f.target()), Downloader.logEvery10Percent(System.out), () -> false);
            System.out.println("  done, " + Progress.bytes(r.size()) + ", verified by " + r.verifiedBy() + (r.resumed() ? " (resumed)" : ""));
        }
        return 0;
    }

    private static void list(ModelManager mm) {
        for (ModelFile f : mm.manifest().files()) {
            boolean there = java.nio.file.Files.isRegularFile(mm.folder().resolve(f.target()));
            System.out.println((there ? "[ok]      " : "[missing] ") + f.role().id() + "  " + f.target());
            System.out.println("          " + mm.hub().url(f)
                    + "  size " + (f.size() >= 0 ? f.size() : "not listed")
                    + "  sha256 " + (f.sha256() != null ? f.sha256() : "not listed (the hub's is used)"));
        }
    }

    private static String roles() {
        StringBuilder sb = new StringBuilder();
        for (Role r : Role.values()) sb.append(sb.length() == 0 ? "" : ", ").append(r.id());
        return sb.toString();
    }
}
