package instantid.fiji;

import ij.ImagePlus;
import ij.gui.GenericDialog;
import ij.process.ColorProcessor;

import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Window;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.List;

import javax.imageio.ImageIO;
import javax.swing.JFrame;
import javax.swing.JMenu;
import javax.swing.JMenuBar;
import javax.swing.JMenuItem;
import javax.swing.SwingUtilities;

import org.scijava.Context;
import org.scijava.ItemVisibility;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;
import org.scijava.service.Service;

/**
 * Not a test: run by hand under a display (docs/screenshots.sh starts Xvfb) to make the README's
 * screenshots. The Generate dialog is an ImageJ GenericDialog harvested from the command's own
 * SciJava inputs (labels, choices, defaults), the menu lists the commands' own menu paths.
 */
public final class Screenshots {

    public static void main(String[] args) throws Exception {
        File out = new File(args.length > 0 ? args[0] : "docs");
        try (Context ctx = new Context(CommandService.class)) {
            CommandService cs = ctx.service(CommandService.class);
            new ImagePlus("portrait.png", new ColorProcessor(480, 480)).show();
            shootMenu(cs, new File(out, "menu.png"));
            shootDialog(cs.getCommand(GenerateFromFace.class.getName()), new File(out, "generate-dialog.png"));
        }
        System.exit(0);
    }

    static void shootMenu(CommandService cs, File file) throws Exception {
        JFrame[] frame = new JFrame[1];
        SwingUtilities.invokeAndWait(() -> {
            JFrame f = new JFrame("(Fiji Is Just) ImageJ");
            JMenuBar bar = new JMenuBar();
            for (String m : new String[] {"File", "Edit", "Image", "Process", "Analyze"}) bar.add(new JMenu(m));
            JMenu plugins = new JMenu("Plugins");
            JMenu instantId = new JMenu("InstantID");
            for (CommandInfo info : cs.getCommands()) {
                if (info.getClassName().startsWith("instantid.fiji.") && info.getMenuPath() != null && !info.getMenuPath().isEmpty()) {
                    instantId.add(new JMenuItem(info.getMenuPath().getLeaf().getName()));
                }
            }
            plugins.add(new JMenuItem("Macros"));
            plugins.add(instantId);
            bar.add(plugins);
            bar.add(new JMenu("Window"));
            bar.add(new JMenu("Help"));
            f.setJMenuBar(bar);
            f.setSize(560, 300);
            f.setLocation(20, 20);
            f.setVisible(true);
            plugins.doClick();
            frame[0] = f;
            SwingUtilities.invokeLater(() -> instantId.setPopupMenuVisible(true));
            SwingUtilities.invokeLater(() -> instantId.setSelected(true));
        });
        Thread.sleep(1500);
        Rectangle r = frame[0].getBounds();
        save(new Robot().createScreenCapture(new Rectangle(r.x, r.y, r.width + 20, r.height)), file);
        SwingUtilities.invokeAndWait(() -> frame[0].dispose());
    }

    /** A GenericDialog with one field per input of {@code info}, as a non-legacy harvester would build it. */
    static GenericDialog dialog(CommandInfo info) {
        GenericDialog gd = new GenericDialog("InstantID: " + info.getMenuPath().getLeaf().getName());
        for (ModuleItem<?> item : info.inputs()) {
            Class<?> t = item.getType();
            if (Service.class.isAssignableFrom(t) || Context.class.isAssignableFrom(t)
                    || item.getVisibility() == ItemVisibility.MESSAGE) continue;
            String label = item.getLabel() == null ? item.getName() : item.getLabel();
            Object def = defaultOf(info, item.getName());
            List<?> choices = item.getChoices();
            if (ImagePlus.class.isAssignableFrom(t)) {
                gd.addChoice(label, ij.WindowManager.getImageTitles(), null);
            } else if (choices != null && !choices.isEmpty()) {
                gd.addChoice(label, choices.stream().map(String::valueOf).toArray(String[]::new), String.valueOf(def));
            } else if (item.getName().equals("pose")) {
                String[] titles = ij.WindowManager.getImageTitles();
                String[] all = new String[titles.length + 1];
                all[0] = KeypointSource.NONE;
                System.arraycopy(titles, 0, all, 1, titles.length);
                gd.addChoice(label, all, KeypointSource.NONE);
            } else if (t == boolean.class) {
                gd.addCheckbox(label, Boolean.TRUE.equals(def));
            } else if (t == int.class || t == long.class) {
                gd.addNumericField(label, ((Number) def).doubleValue(), 0);
            } else if (t == double.class) {
                gd.addNumericField(label, ((Number) def).doubleValue(), 2);
            } else {
                String v = item.getName().equals("prompt") ? "analog film photo of a woman, 35mm, grainy" : String.valueOf(def);
                gd.addStringField(label, v, item.getName().contains("prompt") || item.getName().equals("negative") ? 36 : 18);
            }
        }
        return gd;
    }

    static Object defaultOf(CommandInfo info, String field) {
        try {
            Object cmd = info.loadClass().getDeclaredConstructor().newInstance();
            java.lang.reflect.Field f = cmd.getClass().getDeclaredField(field);
            f.setAccessible(true);
            return f.get(cmd);
        } catch (ReflectiveOperationException | org.scijava.InstantiableException | RuntimeException e) {
            return "";
        }
    }

    static void shootDialog(CommandInfo info, File file) throws Exception {
        GenericDialog gd = dialog(info);
        Thread t = new Thread(gd::showDialog);
        t.start();
        Thread.sleep(2500);
        Rectangle r = gd.getBounds();
        save(new Robot().createScreenCapture(r), file);
        for (Window w : Window.getWindows()) w.dispose();
    }

    static void save(BufferedImage img, File file) throws Exception {
        file.getParentFile().mkdirs();
        ImageIO.write(img, "png", file);
        System.out.println("wrote " + file + " " + img.getWidth() + "x" + img.getHeight());
    }
}
