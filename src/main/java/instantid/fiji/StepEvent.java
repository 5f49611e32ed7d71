package instantid.fiji;

import org.scijava.Cancelable;
import org.scijava.event.SciJavaEvent;

/**
 * Published (through SciJava's EventService) after every denoising step of a running InstantID
 * command, so scripts and tests can follow a run or cancel it ({@link #command()}.cancel(...)).
 */
public class StepEvent extends SciJavaEvent {

    private final Cancelable command;
    private final int image, step, total;

    public StepEvent(Cancelable command, int image, int step, int total) {
        this.command = command;
        this.image = image;
        this.step = step;
        this.total = total;
    }

    public Cancelable command() {
        return command;
    }

    public int image() {
        return image;
    }

    public int step() {
        return step;
    }

    public int total() {
        return total;
    }
}
