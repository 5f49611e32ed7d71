package instantid.fiji;

import ij.IJ;
import ij.macro.Interpreter;

import java.awt.GraphicsEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * How a menu command / macro line reports a failure: in the ImageJ window a plain {@code IJ.error}
 * dialog (inside a macro ImageJ turns it into its macro-error dialog naming the line, and the macro
 * stops); without an ImageJ window ({@code -batch}, headless) a line in the Log / standard output
 * and a quiet stop of the running macro — never a modal dialog there. User errors show only their
 * message; an unexpected failure adds its stack trace to the log.
 */
final class ErrorReport {

    private ErrorReport() {
    }

    /** Whether an error dialog can be shown and answered (the ImageJ window exists on a screen). */
    static boolean windowed() {
        return !GraphicsEnvironment.isHeadless() && IJ.getInstance() != null;
    }

    static void userError(String message) {
        String m = message == null || message.isBlank() ? "failed (no message)" : message;
        IJ.showStatus("");
        IJ.showProgress(1.0);
        if (windowed()) {
            IJ.error("InstantID", m);
            return;
        }
        IJ.log("InstantID: " + m);
        Interpreter macro = Interpreter.getInstance();
        if (macro != null) {
            macro.setIgnoreErrors(true); // keeps the message (getErrorMessage) and ends the macro without a dialog
            macro.abort(m);
        }
    }

    /** A bug rather than a user error: the message, and the stack trace in the log. */
    static void unexpected(String what, Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        IJ.log("InstantID: " + what + " failed:\n" + trace);
        userError(what + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage()
                + "\n(the details are in the Log window)");
    }
}
