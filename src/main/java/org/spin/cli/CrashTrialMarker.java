package org.spin.cli;

import org.spin.train.EpochMetrics;
import org.spin.train.TrainingListener;

/**
 * A test hook for crash trials ({@code bench/crash-resume}), off unless asked for: with
 * {@code -Dspin.debug.markStep=K} the process prints {@value #MARK} K on stderr once global step K
 * (epoch × steps per epoch + step) is done, and with {@code -Dspin.debug.pauseAtMark=true} it then
 * sleeps, so the trial can kill it exactly between two steps.
 */
final class CrashTrialMarker implements TrainingListener {

    static final String MARK = "crash-trial: step done";

    private final TrainingListener inner;
    private final long markStep;
    private final boolean pause;
    private int steps;

    private CrashTrialMarker(TrainingListener inner, long markStep, boolean pause) {
        this.inner = inner;
        this.markStep = markStep;
        this.pause = pause;
    }

    /** {@code inner}, wrapped when the hook's system property is set. */
    static TrainingListener wrap(TrainingListener inner) {
        Long mark = Long.getLong("spin.debug.markStep");
        return mark == null ? inner : new CrashTrialMarker(inner, mark, Boolean.getBoolean("spin.debug.pauseAtMark"));
    }

    @Override
    public void onEpochStart(int epoch, int maxEpoch, int steps, int startStep) {
        this.steps = steps;
        inner.onEpochStart(epoch, maxEpoch, steps, startStep);
    }

    @Override
    public void onStep(int epoch, int step, double loss, double lr, double imagesPerSecond) {
        inner.onStep(epoch, step, loss, lr, imagesPerSecond);
        if ((long) epoch * steps + step == markStep) {
            System.err.println(MARK + " " + markStep);
            System.err.flush();
            while (pause) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void onEpochEnd(int epoch, EpochMetrics metrics) {
        inner.onEpochEnd(epoch, metrics);
    }

    @Override
    public void onMessage(String message) {
        inner.onMessage(message);
    }
}
