package org.spin.train;

/**
 * One line of {@code metrics.jsonl}.
 *
 * @param eval null for epochs without evaluation ({@code TRAIN.EVAL_PERIOD})
 * @param unreadableImages images of an image folder found unreadable so far (each replaced by another)
 */
public record EpochMetrics(int epoch, double trainLoss, double lr, double imagesPerSecond, double seconds,
                           EvalResult eval, int unreadableImages, EvalResult emaEval) {}
