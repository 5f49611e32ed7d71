package instantid.photo;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;

import java.nio.file.Path;

/**
 * The EXIF orientation of an image file (JPEG APP1, PNG eXIf, TIFF IFD0, WebP, ...) as Pillow's
 * {@code Image.getexif()} finds it, read with metadata-extractor. 1 (as stored) when the file has
 * none or its metadata cannot be read: like Pillow, a broken EXIF block never stops the image.
 */
final class ExifOrientation {

    private ExifOrientation() {
    }

    static int of(Path file) {
        try {
            Metadata m = ImageMetadataReader.readMetadata(file.toFile());
            for (ExifIFD0Directory d : m.getDirectoriesOfType(ExifIFD0Directory.class)) {
                if (d.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                    int o = d.getInt(ExifIFD0Directory.TAG_ORIENTATION);
                    return o >= 1 && o <= 8 ? o : 1;
                }
            }
        } catch (Exception | LinkageError e) {
            // no readable EXIF: as stored
        }
        return 1;
    }
}
