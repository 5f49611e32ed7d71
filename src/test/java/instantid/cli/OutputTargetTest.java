package instantid.cli;

import instantid.pipeline.Image;
import instantid.pipeline.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Formats by extension, the overwrite policy, the folder checks, permissions and atomic writes. */
class OutputTargetTest {

    static Result result(int n) {
        List<Image> images = new java.util.ArrayList<>();
        for (int k = 0; k < n; k++) {
            byte[] rgb = new byte[16 * 8 * 3];
            for (int i = 0; i < rgb.length; i++) rgb[i] = (byte) (i * 7 + k * 50);
            images.add(new Image(16, 8, rgb, 100 + k));
        }
        return new Result(images, "{\"prompt\": \"p\", \"seed\": 100}");
    }

    static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theFormatFollowsTheExtensionWithTheSettingsBesideEveryImage(@TempDir Path tmp) throws Exception {
        for (String ext : new String[] {"png", "jpg", "jpeg", "tif", "tiff"}) {
            Path out = tmp.resolve(ext).resolve("x." + ext);
            List<Path> w = OutputTarget.check(out, 1, false).write(result(1));
            assertEquals(List.of(out.toAbsolutePath()), w);
            assertEquals(List.of("x." + ext, "x.json").stream().sorted().toList(), names(out.getParent()), "never x." + ext + ".png");
            BufferedImage b = ImageIO.read(out.toFile());
            assertEquals(16, b.getWidth(), ext + " is a readable image of its format");
            assertTrue(Files.readString(out.resolveSibling("x.json")).contains("\"seed\": 100"));
        }
        byte[] png = Files.readAllBytes(tmp.resolve("png/x.png"));
        assertTrue(new String(png, StandardCharsets.ISO_8859_1).contains("instantid-settings"), "settings in the PNG");
        assertEquals(0xFFD8, ((Files.readAllBytes(tmp.resolve("jpg/x.jpg"))[0] & 255) << 8) | (Files.readAllBytes(tmp.resolve("jpg/x.jpg"))[1] & 255));
        assertThrows(UsageException.class, () -> OutputTarget.check(tmp.resolve("x.gif"), 1, false));
        assertThrows(IllegalArgumentException.class, () -> OutputTarget.checkExtension("noextension"));
    }

    @Test
    void severalImagesAreNumberedWithTheirOwnSeeds(@TempDir Path tmp) throws Exception {
        OutputTarget.check(tmp.resolve("a.png"), 2, false).write(result(2));
        assertEquals(List.of("a-1.json", "a-1.png", "a-2.json", "a-2.png"), names(tmp));
        assertTrue(Files.readString(tmp.resolve("a-2.json")).contains("\"seed\": 101"));
    }

    @Test
    void existingFilesAreRefusedBeforeAnythingRunsUnlessOverwrite(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("a.png");
        Files.write(out, new byte[] {1, 2, 3});
        UsageException e = assertThrows(UsageException.class, () -> OutputTarget.check(out, 1, false));
        assertTrue(e.getMessage().contains("already exists; add --overwrite"), e.getMessage());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(out));
        // the sidecar counts too
        Files.delete(out);
        Files.writeString(tmp.resolve("a.json"), "{}");
        assertThrows(UsageException.class, () -> OutputTarget.check(out, 1, false));
        OutputTarget.check(out, 1, true).write(result(1));
        assertTrue(ImageIO.read(out.toFile()) != null);
        assertTrue(Files.readString(tmp.resolve("a.json")).contains("seed"));
    }

    @Test
    void theFolderIsCheckedBeforeAnythingRuns(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("file"), "x");
        assertTrue(assertThrows(UsageException.class, () -> OutputTarget.check(tmp.resolve("file/a.png"), 1, false))
                .getMessage().contains("is a file, not a folder"));
        Files.createDirectories(tmp.resolve("dir.png"));
        assertTrue(assertThrows(UsageException.class, () -> OutputTarget.check(tmp.resolve("dir.png"), 1, false))
                .getMessage().contains("is a folder"));
        Path deep = tmp.resolve("new/deeper/a.png");
        OutputTarget t = OutputTarget.check(deep, 1, false);
        assertFalse(Files.exists(tmp.resolve("new")), "checking makes nothing");
        t.write(result(1));
        assertTrue(Files.isRegularFile(deep), "the folder is made when the image is written");
    }

    @Test
    void filesGetTheUmasksPermissionsAndNoTempFileIsLeft(@TempDir Path tmp) throws Exception {
        Path probe = Files.createFile(tmp.resolve("probe")); // what any new file of this user gets
        Set<PosixFilePermission> normal = Files.getPosixFilePermissions(probe);
        Files.delete(probe);
        OutputTarget.check(tmp.resolve("a.png"), 1, false).write(result(1));
        assertEquals(normal, Files.getPosixFilePermissions(tmp.resolve("a.png")), "not 0600 whatever the umask");
        assertEquals(normal, Files.getPosixFilePermissions(tmp.resolve("a.json")));
        assertEquals(List.of("a.json", "a.png"), names(tmp), "no .part file left");
        // a write that fails (a folder took the name after the check) leaves no temp file either
        OutputTarget t = OutputTarget.check(tmp.resolve("b.png"), 1, false);
        Files.createDirectories(tmp.resolve("b.png/inside"));
        assertThrows(java.io.IOException.class, () -> t.write(result(1)));
        assertEquals(List.of("a.json", "a.png", "b.png"), names(tmp));
    }
}
