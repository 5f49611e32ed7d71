package instantid.parity;

import ai.djl.ndarray.NDManager;

/** Runs the cases of one {@code kind}; new kinds are listed in {@link Runners}. */
public interface CaseRunner {

    /** The {@code kind} of case.json this runner handles. */
    String kind();

    /** Runs the case; arrays belong to {@code manager}, which is closed afterwards. */
    Outcome run(Case c, NDManager manager) throws Exception;
}
