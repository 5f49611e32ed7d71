package instantid.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C (SIGINT) as a cancel request: a shutdown hook sets the flag that {@link CliProgress}
 * hands to the pipeline, then waits for the run to end its step in flight, close its models and
 * delete any temp file; the JVM then exits with 130 (128 + SIGINT) and no output file is written.
 * Installed only by {@link Main#main}, so in-process callers (tests) are not affected.
 */
final class Interrupt {

    private static final AtomicBoolean REQUESTED = new AtomicBoolean();
    private static final CountDownLatch DONE = new CountDownLatch(1);
    /** How long the hook waits for a step in flight (a 1024 px CPU step takes about two minutes). */
    private static final long WAIT_S = 300;

    private Interrupt() {
    }

    static boolean requested() {
        return REQUESTED.get();
    }

    static void install() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (DONE.getCount() == 0) return; // a normal exit
            REQUESTED.set(true);
            System.err.println("interrupted: stopping after the step in flight (no output is written) ...");
            try {
                DONE.await(WAIT_S, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "instantid-ctrl-c"));
    }

    /** The run has ended (normally or not): the hook need not wait any longer. */
    static void finished() {
        DONE.countDown();
    }
}
