package instantid.models;

import java.util.Locale;

/** What a model file is for. The id is the name used in the manifest, the settings and the CLI. */
public enum Role {
    BASE("base"),
    IDENTITYNET("identitynet"),
    ADAPTER("adapter"),
    FACE_DETECTOR("face-detector"),
    FACE_RECOGNISER("face-recogniser");

    private final String id;

    Role(String id) {
        this.id = id;
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
