package org.spin.train;

/** Side effects of a training run (progress output); the trainer itself never prints. */
public interface TrainingListener {

    default void onEpochStart(int epoch, int maxEpoch, int steps, int startStep) {}

    default void onStep(int epoch, int step, double loss, double lr, double imagesPerSecond) {}

    default void onEpochEnd(int epoch, EpochMetrics metrics) {}

    default void onMessage(String message) {}

    TrainingListener NONE = new TrainingListener() {};
}
