package instantid.fiji;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Plugins › InstantID › Release Models: frees every loaded model (GPU and native memory) now. */
@Plugin(type = Command.class, headless = true, description = "Frees every loaded model now (waits for a running command).")
public class ReleaseModels extends InstantIdCommand {

    @Parameter
    private InstantIdService instantId;

    @Override
    protected void execute() {
        instantId.release();
        ij.IJ.showStatus("InstantID: models released");
    }
}
