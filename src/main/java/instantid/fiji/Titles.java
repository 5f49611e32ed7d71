package instantid.fiji;

import ij.ImagePlus;
import ij.WindowManager;

import java.util.HashSet;
import java.util.Set;

/**
 * Output titles that no open image has — batch-mode images included, which ImageJ's own
 * {@code WindowManager.getUniqueName} does not see (three batch runs got the same title).
 */
final class Titles {

    private Titles() {
    }

    /** {@code base-1}, {@code base-2}, ...: the first that no open image (window or batch mode) is called. */
    static String unique(String base) {
        Set<String> taken = new HashSet<>();
        int[] ids = WindowManager.getIDList();
        if (ids != null) {
            for (int id : ids) {
                ImagePlus imp = WindowManager.getImage(id);
                if (imp != null) taken.add(imp.getTitle());
            }
        }
        for (int i = 1; ; i++) {
            String t = base + "-" + i;
            if (!taken.contains(t)) return t;
        }
    }
}
