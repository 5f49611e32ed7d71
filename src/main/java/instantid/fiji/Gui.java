package instantid.fiji;

import ij.IJ;
import ij.macro.Interpreter;

import java.awt.GraphicsEnvironment;

/** Where we run: an ImageJ window on a screen, or headless / batch (messages go to the log). */
final class Gui {

    private Gui() {
    }

    static boolean interactive() {
        return !GraphicsEnvironment.isHeadless() && IJ.getInstance() != null;
    }

    static boolean batch() {
        return !interactive() || Interpreter.isBatchMode();
    }
}
