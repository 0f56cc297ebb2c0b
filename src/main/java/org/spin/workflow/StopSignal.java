package org.spin.workflow;

import java.util.concurrent.atomic.AtomicReference;
import org.spin.train.Trainer;

/**
 * Asks a running workflow to stop at the next step, checkpointing first (the CLI's Ctrl-C). A
 * workflow checks it between runs and hands it to each trainer it starts.
 */
public final class StopSignal {

    private volatile boolean requested;
    private final AtomicReference<Trainer> running = new AtomicReference<>();

    public void request() {
        requested = true;
        Trainer t = running.get();
        if (t != null) {
            t.requestStop();
        }
    }

    public boolean requested() {
        return requested;
    }

    /**
     * Waits until the trainer running now (if any) has written its checkpoint and returned.
     *
     * @return false if it was still running after {@code millis}
     */
    public boolean awaitCheckpoint(long millis) throws InterruptedException {
        Trainer t = running.get();
        return t == null || t.awaitFinished(millis);
    }

    void enter(Trainer t) {
        running.set(t);
        if (requested) {
            t.requestStop();
        }
    }

    void leave(Trainer t) {
        running.compareAndSet(t, null);
    }
}
