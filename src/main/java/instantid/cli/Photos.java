package instantid.cli;

import instantid.image.LoadedImage;
import instantid.image.PreparedPhoto;
import instantid.image.ResizeImg;
import instantid.photo.PhotoReader;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A photo given on the command line, prepared as InstantID's app prepares it: read as
 * {@code load_image} reads it ({@link PhotoReader}), then {@code resize_img} with its defaults.
 * A value conversion Pillow would not have made (16-bit scaled by its range) is said on stderr.
 */
final class Photos {

    private Photos() {
    }

    /** Before any model loads: the photo is a file (its content is read later). */
    static void requireFile(Path p, String option) {
        if (Files.isDirectory(p)) throw new UsageException(option + " " + p + " is a folder; give an image file");
        if (!Files.isRegularFile(p)) throw new UsageException(option + " " + p + " does not exist");
    }

    static PreparedPhoto prepare(String file) {
        LoadedImage l = PhotoReader.read(Path.of(file));
        PhotoReader.requireFaceSized(Path.of(file), l.image());
        if (l.conversion() != null) System.err.println("photo " + file + ": " + l.conversion());
        return PreparedPhoto.prepare(l, ResizeImg.DEFAULTS);
    }
}
