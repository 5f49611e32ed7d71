package instantid.fiji;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Plugins › InstantID › Release Models: frees every loaded model (GPU and native memory) now. */
@Plugin(type = Command.class, menuPath = "Plugins>InstantID>Release Models", headless = true)
public class ReleaseModels extends InstantIdCommand {

    @Parameter
    private InstantIdService instantId;

    @Override
    protected void execute() {
        instantId.release();
        ij.IJ.showStatus("InstantID: models released");
    }
}
