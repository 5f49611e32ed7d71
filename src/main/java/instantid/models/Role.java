package instantid.models;

import java.util.Locale;

/** What a model file is for. The id is the name used in the manifest, the settings and the CLI. */
public enum Role {
    BASE("base"),
    IDENTITYNET("identitynet"),
    ADAPTER("adapter"),
    FACE_DETECTOR("face-detector"),
    FACE_RECOGNISER("face-recogniser"),
    /** IP-Adapter SDXL (plain) for styles: optional, only "Generate in Style" / --style need it. */
    STYLE_ADAPTER("style-adapter", true),
    /** Its image encoder, OpenCLIP ViT-bigG/14. */
    STYLE_ENCODER("style-encoder", true),
    /** IP-Adapter Plus SDXL (ViT-H) for reference objects: optional. */
    REFERENCE_ADAPTER("reference-adapter", true),
    /** Its image encoder, OpenCLIP ViT-H/14. */
    REFERENCE_ENCODER("reference-encoder", true);

    private final String id;
    private final boolean optional;

    Role(String id) {
        this(id, false);
    }

    Role(String id, boolean optional) {
        this.id = id;
        this.optional = optional;
    }

    /** Not needed for InstantID itself (styles, references): not downloaded unless asked for, not required by ready(). */
    public boolean optional() {
        return optional;
    }

    public String id() {
        return id;
    }

    /** The role for an id ({@code base}, {@code identitynet}, ...); a clear error naming the valid ones. */
    public static Role of(String id) {
        String k = id.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (k.equals("face-recognizer")) k = "face-recogniser";
        for (Role r : values()) if (r.id.equals(k)) return r;
        StringBuilder ok = new StringBuilder();
        for (Role r : values()) ok.append(ok.length() == 0 ? "" : ", ").append(r.id);
        throw new IllegalArgumentException("unknown model role '" + id + "': use one of " + ok);
    }
}
