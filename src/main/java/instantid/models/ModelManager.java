package instantid.models;

import instantid.common.CancelToken;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The models folder: what InstantID needs (the {@link Manifest}), what is there, what is missing
 * and how to get it; the user's own files per role ("use my own files", checked by
 * {@link FileCheck} and remembered in {@value #SETTINGS} inside the folder); and downloading the
 * missing files with a {@link Downloader}.
 *
 * <p>Folder: system property {@code instantid.models}, else environment variable
 * {@code INSTANTID_MODELS}, else {@code <Fiji>/models/instantid} inside Fiji (system property
 * {@code ij.dir} or {@code imagej.dir}), else {@code ~/.instantid/models}.
 */
public final class ModelManager {

    public static final String SETTINGS = "instantid-models.properties";

    /** One role's state: where it is looked for, whether it is the user's own choice, what is missing. */
    public record RoleStatus(Role role, Path location, boolean own, List<ModelFile> missing) {
        public boolean present() {
            return own ? java.nio.file.Files.exists(location) : missing.isEmpty();
        }
    }

    private final Path folder;
    private final Manifest manifest;
    private final Properties settings = new Properties();
    private final FirstUse firstUse;

    public ModelManager(Path folder, Manifest manifest) throws IOException {
        this.folder = folder.toAbsolutePath().normalize();
        this.manifest = manifest;
        this.firstUse = new FirstUse(this.folder);
        Path s = this.folder.resolve(SETTINGS);
        if (Files.isRegularFile(s)) {
            try (InputStream in = Files.newInputStream(s)) {
                settings.load(in);
            }
        }
    }

    /** The default folder with the bundled manifest. */
    public static ModelManager open() throws IOException {
        return new ModelManager(defaultFolder(), Manifest.bundled());
    }

    public static Path defaultFolder() {
        String p = System.getProperty("instantid.models");
        if (blank(p)) p = System.getenv("INSTANTID_MODELS");
        if (!blank(p)) return Path.of(p);
        String fiji = System.getProperty("ij.dir");
        if (blank(fiji)) fiji = System.getProperty("imagej.dir");
        if (!blank(fiji)) return Path.of(fiji, "models", "instantid");
        return Path.of(System.getProperty("user.home"), ".instantid", "models");
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    public Path folder() {
        return folder;
    }

    public Manifest manifest() {
        return manifest;
    }

    /** The hub to download from: system property / environment first, then this folder's settings. */
    public Hub hub() {
        return Hub.fromEnvironment(settings.getProperty("hub.base"), settings.getProperty("hub.token"));
    }

    /** Stores the hub base URL (a mirror) in the settings; null removes it. */
    public void setHubBase(String base) throws IOException {
        if (base != null) new Hub(base, null); // validates
        put("hub.base", base);
    }

    /** Stores an access token for gated models in the settings; null removes it. */
    public void setHubToken(String token) throws IOException {
        put("hub.token", token);
    }

    /** Where a role is read from: the user's own path, else its place in the models folder. */
    public Path location(Role role) {
        String own = settings.getProperty("role." + role.id());
        if (own != null) return Path.of(own);
        return folder.resolve(manifest.role(role).defaultTarget());
    }

    public boolean isOwn(Role role) {
        return settings.getProperty("role." + role.id()) != null;
    }

    public List<RoleStatus> status() {
        List<RoleStatus> out = new ArrayList<>();
        for (Role r : Role.values()) {
            boolean own = isOwn(r);
            List<ModelFile> missing = own ? List.of() : missingFiles(r);
            out.add(new RoleStatus(r, location(r), own, missing));
        }
        return out;
    }

    private List<ModelFile> missingFiles(Role r) {
        List<ModelFile> m = new ArrayList<>();
        for (ModelFile f : manifest.files(r)) if (!Files.isRegularFile(folder.resolve(f.target()))) m.add(f);
        return m;
    }

    /** Everything InstantID needs is there (optional roles — styles, references — aside). */
    public boolean ready() {
        return status().stream().allMatch(s -> s.present() || s.role().optional());
    }

    /** Every file still to download (roles pointed at the user's own files are skipped; optional roles too). */
    public List<ModelFile> toDownload() {
        return toDownload(java.util.Set.of());
    }

    /** As {@link #toDownload()}, plus the missing files of the optional roles in {@code optional}. */
    public List<ModelFile> toDownload(java.util.Set<Role> optional) {
        List<ModelFile> out = new ArrayList<>();
        for (RoleStatus s : status()) if (!s.role().optional() || optional.contains(s.role())) out.addAll(s.missing());
        return out;
    }

    /** Runs {@link FileCheck} on every role that is present. */
    public Map<Role, FileCheck.Result> verify() {
        Map<Role, FileCheck.Result> out = new EnumMap<>(Role.class);
        for (RoleStatus s : status()) if (s.present()) out.put(s.role(), FileCheck.check(s.role(), s.location()));
        return out;
    }

    /**
     * Points a role at a file or folder already on disk. It is checked first; only a path of the
     * right kind is remembered. The result says what it is, or what is wrong.
     */
    public FileCheck.Result useOwn(Role role, Path path) throws IOException {
        FileCheck.Result r = FileCheck.check(role, path);
        if (r.ok()) put("role." + role.id(), r.path().toString());
        return r;
    }

    /** Forgets the user's own path for a role (the models folder is used again). */
    public void forget(Role role) throws IOException {
        put("role." + role.id(), null);
    }

    /**
     * Checks the files of the models folder against what is trusted: a pinned file's size must be one
     * of its pinned versions' (and with {@code hashPinned} its SHA-256 one of theirs — slow for the
     * multi-gigabyte files); a file without a published hash must still have the SHA-256 recorded when
     * it was first used (the first time, it is recorded now). Roles pointed at the user's own files
     * are the user's. Returns one line per problem, empty when all is well.
     */
    public List<String> checkTrust(boolean hashPinned) throws IOException {
        List<String> problems = new ArrayList<>();
        for (ModelFile f : manifest.files()) {
            Path p = folder.resolve(f.target());
            if (isOwn(f.role()) || !Files.isRegularFile(p)) continue;
            if (!f.pinned()) {
                String now = Sha256.of(p);
                String before = firstUse.sha256(f.target());
                if (before == null) {
                    firstUse.record(f.target(), now, Files.size(p));
                } else if (!before.equals(now)) {
                    problems.add(p + " changed since it was first used (SHA-256 " + before + " then, " + now + " now): delete it"
                            + " and download it again (models --download), or remove its line from " + folder.resolve(FirstUse.FILE)
                            + " if you changed it yourself");
                }
                continue;
            }
            long size = Files.size(p);
            if (f.pins().stream().noneMatch(pin -> pin.size() < 0 || pin.size() == size)) {
                problems.add(p + " has " + size + " bytes, but the published file has " + f.pins().get(0).size()
                        + ": it is incomplete or another file; delete it and download it again (models --download)");
            } else if (hashPinned) {
                String now = Sha256.of(p);
                if (f.pins().stream().noneMatch(pin -> now.equals(pin.sha256()))) {
                    problems.add(p + " has SHA-256 " + now + ", not the published " + f.sha256()
                            + ": it is corrupt or another file; delete it and download it again (models --download)");
                }
            }
        }
        return problems;
    }

    /** {@link #checkTrust(boolean) checkTrust(false)} as a user error naming every file that failed. */
    public void requireTrusted() throws IOException {
        List<String> problems = checkTrust(false);
        if (!problems.isEmpty()) throw new instantid.common.UserException(String.join("\n", problems));
    }

    /** What is trusted of a manifest file, for listings: pinned revision and hash, or the first-use record. */
    public String trustLine(ModelFile f) {
        if (f.pinned()) {
            return "rev " + (f.revision() != null ? f.revision() : "main (pinned by hash)") + "  sha256 " + f.sha256()
                    + (f.alternatives().isEmpty() ? "" : " (or " + f.alternatives().size() + " named alternative(s))");
        }
        String rec = firstUse.sha256(f.target());
        return "rev " + (f.revision() != null ? f.revision() : "main") + "  sha256 "
                + (rec != null ? rec + " (trusted on first use, recorded in " + FirstUse.FILE + ")"
                : "not published: recorded at its first download and checked on every later load (trust on first use)");
    }

    /** A readable account: each role, where it is, and for what is missing how to get it. */
    public String report() {
        StringBuilder sb = new StringBuilder("Models folder: ").append(folder).append('\n');
        long unknown = 0;
        long bytes = 0;
        for (RoleStatus s : status()) {
            Manifest.RoleInfo info = manifest.role(s.role());
            sb.append(s.present() ? "  [ok]      " : s.role().optional() ? "  [optional]" : "  [missing] ").append(info.title()).append(" (").append(s.role().id()).append(")");
            sb.append(s.own() ? ": your own " : ": ").append(s.location()).append('\n');
            if (s.own() && !s.present()) sb.append("            that path no longer exists\n");
            for (ModelFile f : s.missing()) {
                sb.append("            needs ").append(f.target()).append("  <- ").append(f.source());
                if (f.size() >= 0) sb.append(" (").append(Progress.bytes(f.size())).append(')');
                sb.append('\n');
                if (s.role().optional()) continue;
                if (f.size() >= 0) bytes += f.size();
                else unknown++;
            }
        }
        long pinned = manifest.files().stream().filter(ModelFile::pinned).count();
        sb.append("Integrity: ").append(pinned).append(" of ").append(manifest.files().size())
                .append(" files are pinned by revision, size and SHA-256 (models --list shows each).");
        for (ModelFile f : manifest.files()) {
            if (!f.pinned()) {
                sb.append("\n  ").append(f.target()).append(" has no published SHA-256 and is trusted on first use: the hash of")
                        .append(" its first verified download is recorded in the models folder and checked on every later load");
            }
        }
        sb.append('\n');
        List<ModelFile> todo = toDownload();
        if (todo.isEmpty()) {
            sb.append("Everything InstantID needs is there.\n");
            return sb.toString();
        }
        sb.append("\nTo get what is missing, either\n")
                .append("  - download it: java -jar instantid.jar models --download")
                .append(" (Fiji: Plugins > InstantID > Settings / Models..., Download models...)\n")
                .append("    from ").append(hub().base())
                .append(bytes > 0 || unknown > 0 ? ", " + todo.size() + " files" : "")
                .append(bytes > 0 ? ", at least " + Progress.bytes(bytes) : "")
                .append(unknown > 0 ? " (sizes of " + unknown + " not listed; the SDXL base alone is about 7 GB)" : "")
                .append('\n')
                .append("  - or point a role at files you already have: models --use ROLE=PATH\n");
        for (Role r : Role.values()) {
            if (!isOwn(r) && !r.optional() && !missingFiles(r).isEmpty()) {
                sb.append("      ").append(r.id()).append(": ").append(manifest.role(r).help()).append('\n');
            }
        }
        List<String> notes = manifest.licenceNotes(todo);
        if (!notes.isEmpty()) {
            sb.append("\nLicences of the files to download:\n");
            for (String n : notes) sb.append("  - ").append(n).append('\n');
        }
        return sb.toString();
    }

    /**
     * Downloads every missing file, one after the other, into its place in the models folder.
     * A cancelled or failed download keeps its {@code .part} for the next run.
     */
    public List<Downloader.Result> download(Downloader d, Downloader.Listener listener, CancelToken cancel)
            throws IOException {
        return download(d, listener, cancel, java.util.Set.of());
    }

    /** As {@link #download(Downloader, Downloader.Listener, CancelToken)}, with the optional roles in {@code optional}. */
    public List<Downloader.Result> download(Downloader d, Downloader.Listener listener, CancelToken cancel,
                                            java.util.Set<Role> optional) throws IOException {
        List<Downloader.Result> done = new ArrayList<>();
        for (ModelFile f : toDownload(optional)) {
            Downloader.Result r = d.fetch(f, folder.resolve(f.target()), listener, cancel);
            if (!f.pinned()) firstUse.record(f.target(), r.sha256(), r.size());
            done.add(r);
        }
        return done;
    }

    private void put(String key, String value) throws IOException {
        if (value == null) settings.remove(key);
        else settings.setProperty(key, value);
        Files.createDirectories(folder);
        Path tmp = folder.resolve(SETTINGS + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            settings.store(out, "InstantID model settings (written by the model manager)");
        }
        Files.move(tmp, folder.resolve(SETTINGS), StandardCopyOption.REPLACE_EXISTING);
    }
}
