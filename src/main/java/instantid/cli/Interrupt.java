package instantid.cli;

import instantid.common.CancelToken;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C (SIGINT) as a cancel request: a shutdown hook cancels the {@link #token()} that
 * {@link CliProgress} hands to the pipeline (and the models verb to its downloads), then waits
 * (at most {@value #WAIT_S} s) for the run to end its step in flight, close its models and delete
 * any temp file; the JVM then exits with 130 (128 + SIGINT) and no output file is written (a
 * download keeps its {@code .part} to resume).
 * Installed only by {@link Main#main}, so in-process callers (tests) are not affected.
 */
final class Interrupt {

    private static final AtomicBoolean REQUESTED = new AtomicBoolean();
    private static final CountDownLatch DONE = new CountDownLatch(1);
    /** How long the hook waits for a step in flight (a 1024 px CPU step takes about two minutes). */
    private static final long WAIT_S = 300;

    /** The cancel token of this process's run: cancelled once Ctrl-C was pressed. */
    private static final CancelToken TOKEN = CancelToken.of(REQUESTED::get);

    private Interrupt() {
    }

    /** What the CLI hands to long work (the pipeline through {@link CliProgress}, downloads directly). */
    static CancelToken token() {
        return TOKEN;
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
