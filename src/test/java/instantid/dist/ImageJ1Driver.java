package instantid.dist;

import ij.IJ;
import ij.ImagePlus;
import ij.Menus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;
import ij.plugin.frame.Recorder;
import ij.plugin.frame.RoiManager;

import java.awt.Button;
import java.awt.Checkbox;
import java.awt.Choice;
import java.awt.Component;
import java.awt.Container;
import java.awt.Dialog;
import java.awt.Label;
import java.awt.Menu;
import java.awt.MenuBar;
import java.awt.MenuItem;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.TextField;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.awt.event.KeyEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;

import javax.imageio.ImageIO;

/**
 * Runs inside a real ImageJ 1 (started by {@link ImageJ1InstallTest} with the installed plugin
 * folder, under a virtual display) as a user would: reads the Plugins › InstantID menu, runs the
 * commands from macro lines and Generate from Face through its dialog with the Recorder on, replays
 * the recorded line, runs the shipped macros, provokes an error, and takes the README's screenshots.
 * It only observes — into {@code results.properties} — the test asserts.
 */
public class ImageJ1Driver implements PlugIn {

    private final Properties out = new Properties();
    private Path dir;
    private Path shots;

    @Override
    public void run(String arg) {
        dir = Path.of(System.getProperty("instantid.driver.dir"));
        shots = dir.resolve("screenshots");
        Thread t = new Thread(() -> {
            try {
                Files.createDirectories(shots);
                drive();
            } catch (Throwable e) {
                out.setProperty("fatal", trace(e));
            } finally {
                try (var w = Files.newBufferedWriter(dir.resolve("results.properties"))) {
                    out.store(w, "ImageJ1Driver");
                } catch (Exception e) {
                    e.printStackTrace();
                }
                System.exit(0);
            }
        }, "InstantID test driver");
        t.start();
    }

    private void step(String name, Runnable r) {
        long t0 = System.nanoTime();
        try {
            r.run();
            out.setProperty(name + ".ok", "true");
        } catch (Throwable e) {
            out.setProperty(name + ".error", trace(e));
        }
        System.out.println("driver: " + name + " done in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    void drive() {
        String fx = System.getProperty("instantid.fixtures");
        ImagePlus[] portrait = new ImagePlus[1];
        step("menu", this::menu);
        step("settings", () -> IJ.run("Settings / Models...", "models=[" + fx + "/pipeline_sdxl_tiny] faces=["
                + fx + "/face_analysis] device=cpu precision=fp32"));
        step("open", () -> {
            portrait[0] = IJ.openImage(dir.resolve("portrait.png").toString());
            portrait[0].show();
            waitFor(() -> portrait[0].getWindow() != null && portrait[0].getWindow().isShowing(), 20);
            portrait[0].getWindow().setLocation(10, 140);
            IJ.wait(500);
        });
        ImagePlus imp = portrait[0];
        step("detect", () -> {
            IJ.run(imp, "Detect Faces", "threshold=0.27 roi_manager");
            out.setProperty("detect.overlay", String.valueOf(imp.getOverlay() == null ? 0 : imp.getOverlay().size()));
            RoiManager rm = RoiManager.getInstance();
            out.setProperty("detect.roiManager", String.valueOf(rm == null ? 0 : rm.getCount()));
            out.setProperty("detect.results", String.valueOf(ResultsTable.getResultsTable().size()));
            if (rm != null) rm.setLocation(imp.getWindow().getX() + imp.getWindow().getWidth() + 10, 140);
            Window results = WindowManager.getWindow("Results");
            if (results != null && rm != null) results.setBounds(rm.getX(), rm.getY() + rm.getHeight() + 10, 520, 260);
            IJ.wait(1000);
            Rectangle all = union(imp.getWindow(), rm);
            if (results != null) all = all.union(results.getBounds());
            shoot("detect-faces.png", all);
        });
        step("similarity", () -> {
            IJ.run(imp, "Face Similarity...", "mode=[two rois] first=face-1 second=face-1 threshold=0.27");
            out.setProperty("similarity.self", String.valueOf(ResultsTable.getResultsTable().getValue("Similarity", 0)));
        });
        step("dialog", () -> dialogRun(imp));
        step("remembered", () -> remembered(imp));
        step("replay", () -> {
            WindowManager.setCurrentWindow(imp.getWindow());
            imp.deleteRoi();
            IJ.runMacro("selectImage(" + imp.getID() + ");\n" + out.getProperty("recorded") + "\nsaveAs(\"PNG\", \""
                    + dir.resolve("replay-window.png") + "\");");
        });
        step("error", () -> errorDialog(imp));
        for (String m : new String[] {"generate_from_roi", "detect_and_similarity", "compose_two_people", "batch_folder"}) {
            step("macro." + m, () -> shippedMacro(m, imp));
        }
        step("userImageKept", () -> out.setProperty("userImageKept",
                String.valueOf(WindowManager.getImage(imp.getID()) != null && imp.getWindow() != null)));
        step("release", () -> IJ.run("Release Models"));
        step("menuShot", this::menuShot);
    }

    private void menu() {
        MenuBar bar = Menus.getMenuBar();
        Menu plugins = null;
        for (int i = 0; i < bar.getMenuCount(); i++) if ("Plugins".equals(bar.getMenu(i).getLabel())) plugins = bar.getMenu(i);
        List<String> subs = new ArrayList<>();
        Menu instantId = null;
        for (int i = 0; i < plugins.getItemCount(); i++) {
            MenuItem it = plugins.getItem(i);
            subs.add(it.getLabel());
            if (it instanceof Menu m && "InstantID".equals(m.getLabel())) instantId = m;
        }
        out.setProperty("menu.plugins", String.join("|", subs));
        List<String> items = new ArrayList<>();
        for (int i = 0; instantId != null && i < instantId.getItemCount(); i++) {
            String l = instantId.getItem(i).getLabel();
            items.add(l);
            if (!"-".equals(l)) out.setProperty("command." + l, String.valueOf(Menus.getCommands().get(l)));
        }
        out.setProperty("menu.instantid", String.join("|", items));
    }

    /** Generate from Face... through its dialog (as a menu click runs it), with the Recorder on. */
    private void dialogRun(ImagePlus imp) {
        IJ.run("Record...");
        waitFor(() -> Recorder.getInstance() != null, 20);
        Recorder.getInstance().setLocation(700, 600);
        WindowManager.setCurrentWindow(imp.getWindow());
        imp.deleteRoi();
        int before = WindowManager.getImageCount();
        IJ.doCommand("Generate from Face...");
        GenericDialog gd = dialog("InstantID: Generate from Face");
        set(gd, "Face", "whole image");
        set(gd, "Threshold", "0.27");
        set(gd, "Prompt", "analog film photo of a person, 35mm");
        set(gd, "Negative prompt", "blurry");
        set(gd, "Width", "128");
        set(gd, "Height", "128");
        set(gd, "Steps", "3");
        set(gd, "Seed", "-1");
        set(gd, "Preview window", "true");
        IJ.wait(800);
        shoot("generate-dialog.png", gd.getBounds());
        Button ok = gd.getButtons()[0];
        java.awt.EventQueue.invokeLater(() -> gd.actionPerformed(new ActionEvent(ok, ActionEvent.ACTION_PERFORMED, "OK")));
        waitFor(() -> WindowManager.getImageCount() > before && WindowManager.getCurrentImage() != null
                && WindowManager.getCurrentImage().getTitle().startsWith("InstantID-portrait"), 600);
        ImagePlus result = WindowManager.getCurrentImage();
        waitFor(() -> Recorder.getInstance().getText().contains("Generate from Face"), 60);
        String recorded = null;
        for (String l : Recorder.getInstance().getText().split("\n")) if (l.contains("Generate from Face")) recorded = l.trim();
        out.setProperty("recorded", recorded);
        out.setProperty("result.title", result.getTitle());
        out.setProperty("result.info", String.valueOf(result.getInfoProperty()));
        IJ.saveAs(result.duplicate(), "PNG", dir.resolve("dialog-run.png").toString());
        imp.getWindow().setLocation(10, 620); // out of the picture
        result.getWindow().setLocation(10, 140);
        IJ.run(result, "In [+]", "");
        IJ.run(result, "In [+]", "");
        IJ.wait(500);
        IJ.run(result, "Show Info...", "");
        IJ.wait(1500);
        Window info = null;
        for (Window w : Window.getWindows()) if (w.isShowing() && w instanceof java.awt.Frame f && f.getTitle().startsWith("Info for")) info = w;
        if (info != null) info.setBounds(result.getWindow().getX() + result.getWindow().getWidth() + 10, 140, 620, 420);
        IJ.wait(1000);
        shoot("result-info.png", union(result.getWindow(), info));
        if (info != null) info.dispose();
        IJ.run(result, "Original Scale", "");
        imp.getWindow().setLocation(10, 140);
    }

    private void remembered(ImagePlus imp) {
        WindowManager.setCurrentWindow(imp.getWindow());
        IJ.doCommand("Generate from Face...");
        GenericDialog gd = dialog("InstantID: Generate from Face");
        out.setProperty("remembered.prompt", field(gd, "Prompt").getText());
        out.setProperty("remembered.steps", field(gd, "Steps").getText());
        out.setProperty("remembered.seed", field(gd, "Seed").getText());
        Button cancel = gd.getButtons()[1];
        java.awt.EventQueue.invokeLater(() -> gd.actionPerformed(new ActionEvent(cancel, ActionEvent.ACTION_PERFORMED, "Cancel")));
        waitFor(() -> !gd.isShowing(), 20);
    }

    /** A user error inside a macro in the ImageJ window: one plain dialog with the message. */
    private void errorDialog(ImagePlus imp) {
        Thread t = new Thread(() -> IJ.runMacro("selectImage(" + imp.getID() + ");\n"
                + "run(\"Generate from Face...\", \"width=100 height=128 threshold=0.27\");"));
        t.start();
        Dialog d = (Dialog) waitFor(() -> {
            for (Window w : Window.getWindows()) if (w.isShowing() && w instanceof Dialog dd && !(w instanceof GenericDialog && ((GenericDialog) w).getTitle().startsWith("InstantID:"))) return dd;
            return null;
        }, 120);
        IJ.wait(500);
        out.setProperty("error.title", d.getTitle());
        out.setProperty("error.text", text(d));
        shoot("error.png", d.getBounds());
        d.dispose();
    }

    private void shippedMacro(String name, ImagePlus imp) {
        String macros = System.getProperty("instantid.macros");
        String arg;
        WindowManager.setCurrentWindow(imp.getWindow());
        IJ.selectWindow(imp.getID());
        switch (name) {
            case "generate_from_roi" -> {
                imp.setRoi(0, 300, 480, 180);
                arg = "width=128 height=128 steps=2 seed=3 threshold=0.27";
            }
            case "batch_folder" -> arg = "input=[" + dir.resolve("batch-in") + "] output=[" + dir.resolve("batch-out-window")
                    + "] extra=[width=128 height=128 steps=2 seed=5 threshold=0.27]";
            case "detect_and_similarity" -> arg = "width=128 height=128 steps=2 seed=9 threshold=0.1"; // the tiny detector on a generated picture
            default -> arg = "width=128 height=128 steps=2 seed=9 threshold=0.27";
        }
        String[] r = new String[1];
        String file = macros + "/" + name + ".ijm";
        Thread t = new Thread(() -> r[0] = IJ.runMacroFile(file, arg), "macro " + name);
        t.start();
        Object end = waitFor(() -> {
            if (!t.isAlive()) return "done";
            for (Window w : Window.getWindows()) if (w.isShowing() && w instanceof Dialog d && d.isModal()) return d;
            return null;
        }, 900);
        if (end instanceof Dialog d) { // a macro error: note it, close it, go on
            out.setProperty("macro." + name + ".error", d.getTitle() + ": " + text(d));
            d.dispose();
            waitFor(() -> !t.isAlive(), 60);
        }
        ImagePlus cur = WindowManager.getCurrentImage();
        out.setProperty("macro." + name + ".current", cur == null ? "" : cur.getTitle());
        out.setProperty("macro." + name + ".info", cur == null ? "" : String.valueOf(cur.getInfoProperty()));
        out.setProperty("macro." + name + ".return", String.valueOf(r[0]));
        imp.deleteRoi();
    }

    /**
     * Opens Plugins › InstantID with the mouse, as a user does, and photographs it. Without a window
     * manager the AWT menu bar lays its items out as XMenuBarPeer does (3 px, then text + 20 px per
     * item, 2 px apart), popup items 19 px high and separators 10 px (measured on Xvfb).
     */
    private void menuShot() {
        try {
            Robot robot = new Robot();
            ij.ImageJ ij = IJ.getInstance();
            ij.toFront();
            IJ.wait(500);
            MenuBar bar = Menus.getMenuBar();
            java.awt.FontMetrics fm = ij.getFontMetrics(bar.getFont() != null ? bar.getFont() : ij.getFont());
            Rectangle b = ij.getBounds();
            java.awt.Insets in = ij.getInsets();
            int x = b.x + in.left + 3;
            Menu plugins = null;
            for (int i = 0; i < bar.getMenuCount(); i++) {
                if ("Plugins".equals(bar.getMenu(i).getLabel())) {
                    plugins = bar.getMenu(i);
                    break;
                }
                x += fm.stringWidth(bar.getMenu(i).getLabel()) + 22;
            }
            int cx = x + (fm.stringWidth("Plugins") + 20) / 2;
            robot.mouseMove(cx, b.y + in.top / 2);
            robot.delay(300);
            robot.mousePress(java.awt.event.InputEvent.BUTTON1_DOWN_MASK);
            robot.mouseRelease(java.awt.event.InputEvent.BUTTON1_DOWN_MASK);
            robot.delay(800);
            int y = b.y + in.top + 8;
            for (int i = 0; i < plugins.getItemCount(); i++) {
                if ("InstantID".equals(plugins.getItem(i).getLabel())) break;
                y += "-".equals(plugins.getItem(i).getLabel()) ? 10 : 19;
            }
            robot.mouseMove(cx, y);
            robot.delay(300);
            robot.mouseMove(cx + 10, y);
            robot.delay(300);
            robot.mousePress(java.awt.event.InputEvent.BUTTON1_DOWN_MASK); // a click on a submenu opens it
            robot.mouseRelease(java.awt.event.InputEvent.BUTTON1_DOWN_MASK);
            robot.delay(1500);
            shoot("menu.png", new Rectangle(b.x, b.y, 700, 290));
            key(robot, KeyEvent.VK_ESCAPE);
            key(robot, KeyEvent.VK_ESCAPE);
        } catch (java.awt.AWTException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void key(Robot r, int code) {
        r.keyPress(code);
        r.keyRelease(code);
        r.delay(250);
    }

    // ---- dialogs ----

    private GenericDialog dialog(String title) {
        return (GenericDialog) waitFor(() -> {
            for (Window w : Window.getWindows()) if (w.isShowing() && w instanceof GenericDialog g && title.equals(g.getTitle())) return g;
            return null;
        }, 60);
    }

    /** The field whose label (as shown) starts with {@code label}. */
    private static Component component(GenericDialog gd, String label) {
        String last = null;
        for (Component c : flatten(gd)) {
            if (c instanceof Label l) last = l.getText();
            else if (c instanceof Checkbox cb && cb.getLabel().startsWith(label)) return cb;
            else if ((c instanceof TextField || c instanceof Choice) && last != null && last.startsWith(label)) return c;
        }
        throw new IllegalStateException("no field '" + label + "' in " + gd.getTitle());
    }

    private static TextField field(GenericDialog gd, String label) {
        return (TextField) component(gd, label);
    }

    private static void set(GenericDialog gd, String label, String value) {
        Component c = component(gd, label);
        if (c instanceof TextField tf) tf.setText(value);
        else if (c instanceof Choice ch) ch.select(value);
        else if (c instanceof Checkbox cb) cb.setState(Boolean.parseBoolean(value));
    }

    private static List<Component> flatten(Container c) {
        List<Component> out = new ArrayList<>();
        for (Component k : c.getComponents()) {
            out.add(k);
            if (k instanceof Container kc && !(k instanceof Choice)) out.addAll(flatten(kc));
        }
        return out;
    }

    /** Every label text of a window (MultiLineLabel keeps its lines in a field). */
    private static String text(Container c) {
        StringBuilder sb = new StringBuilder();
        for (Component k : flatten(c)) {
            if (k instanceof Label l) sb.append(l.getText()).append('\n');
            else if (k.getClass().getName().equals("ij.gui.MultiLineLabel")) {
                try {
                    java.lang.reflect.Field f = k.getClass().getDeclaredField("lines");
                    f.setAccessible(true);
                    for (String s : (String[]) f.get(k)) sb.append(s).append('\n');
                } catch (ReflectiveOperationException e) {
                    sb.append("?").append('\n');
                }
            }
        }
        return sb.toString();
    }

    // ---- helpers ----

    private static Object waitFor(Supplier<Object> what, int seconds) {
        long end = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < end) {
            Object o = what.get();
            if (o != null && !Boolean.FALSE.equals(o)) return o;
            IJ.wait(100);
        }
        throw new IllegalStateException("timed out after " + seconds + " s");
    }

    private static Rectangle union(Window a, Window b) {
        Rectangle r = a.getBounds();
        if (b != null) r = r.union(b.getBounds());
        r.grow(4, 4);
        return r;
    }

    private void shoot(String name, Rectangle r) {
        try {
            Rectangle screen = new Rectangle(java.awt.Toolkit.getDefaultToolkit().getScreenSize());
            ImageIO.write(new Robot().createScreenCapture(r.intersection(screen)), "png", shots.resolve(name).toFile());
        } catch (Exception e) {
            out.setProperty("screenshot." + name + ".error", e.toString());
        }
    }

    private static String trace(Throwable e) {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
