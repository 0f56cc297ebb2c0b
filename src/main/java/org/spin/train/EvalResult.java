package org.spin.train;

/** Test-split figures: top-1 and top-5 accuracy in [0, 1] and mean cross-entropy (no smoothing). */
public record EvalResult(double top1, double top5, double loss, int samples) {}
