package instantid.cli;

import instantid.pipeline.Image;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A montage of equally sized images in a grid, row by row in the given order, each tile with its
 * label in a strip below it (the tile's pixels are the image's, untouched). Drawn with Java2D,
 * which works headless.
 */
final class Montage {

    static final int STRIP = 14;

    private Montage() {
    }

    /** Columns for {@code n} tiles: the smallest near-square grid. */
    static int columns(int n) {
        return Math.max(1, (int) Math.ceil(Math.sqrt(n)));
    }

    static Image of(List<Image> tiles, List<String> labels) {
        int n = tiles.size(), cols = columns(n), rows = (n + cols - 1) / cols;
        int tw = tiles.get(0).width(), th = tiles.get(0).height(), cellH = th + STRIP;
        BufferedImage b = new BufferedImage(cols * tw, rows * cellH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = b.createGraphics();
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, b.getWidth(), b.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (int k = 0; k < n; k++) {
            Image im = tiles.get(k);
            int x0 = (k % cols) * tw, y0 = (k / cols) * cellH;
            for (int y = 0; y < th; y++) {
                for (int x = 0; x < tw; x++) {
                    int o = (y * tw + x) * 3;
                    b.setRGB(x0 + x, y0 + y, (im.rgb()[o] & 0xff) << 16 | (im.rgb()[o + 1] & 0xff) << 8 | (im.rgb()[o + 2] & 0xff));
                }
            }
            try {
                g.setColor(Color.WHITE);
                g.setClip(x0, y0 + th, tw, STRIP);
                g.drawString(labels.get(k), x0 + 2, y0 + th + STRIP - 3);
                g.setClip(null);
            } catch (RuntimeException | Error e) {
                // no usable font on a bare server: the labels stay in the PNG's text chunk and the ranking CSV
            }
        }
        g.dispose();
        byte[] rgb = new byte[b.getWidth() * b.getHeight() * 3];
        for (int y = 0, o = 0; y < b.getHeight(); y++) {
            for (int x = 0; x < b.getWidth(); x++, o += 3) {
                int v = b.getRGB(x, y);
                rgb[o] = (byte) (v >> 16);
                rgb[o + 1] = (byte) (v >> 8);
                rgb[o + 2] = (byte) v;
            }
        }
        return new Image(b.getWidth(), b.getHeight(), rgb, -1);
    }
}
