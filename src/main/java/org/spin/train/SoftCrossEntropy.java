package org.spin.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Cross-entropy against label-smoothed targets, as the reference's {@code soft_cross_entropy}
 * with {@code MIXUP.LABEL_SMOOTH_VALUE}: target = (1 − ε)·onehot + ε/K.
 */
public final class SoftCrossEntropy {

    private SoftCrossEntropy() {}

    /** Mean loss over the batch; the result lives in the logits' manager. */
    public static NDArray loss(NDArray logits, int[] labels, double smoothing) {
        int b = labels.length;
        int k = (int) logits.getShape().get(1);
        float off = (float) (smoothing / k);
        float on = (float) (1 - smoothing) + off;
        float[] target = new float[b * k];
        java.util.Arrays.fill(target, off);
        for (int i = 0; i < b; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("label " + labels[i] + " outside the model's " + k + " classes");
            }
            target[i * k + labels[i]] = on;
        }
        return loss(logits, target);
    }

    /** Mean loss over the batch against soft targets (B×K, each row a distribution, e.g. mixed by Mixup). */
    public static NDArray loss(NDArray logits, float[] targets) {
        Shape s = logits.getShape();
        if (targets.length != s.get(0) * s.get(1)) {
            throw new IllegalArgumentException(targets.length + " targets for logits " + s);
        }
        // (B, K) · (B, K) → (B,) → scalar; the target is built on the host: it is tiny
        NDArray logp = logits.logSoftmax(1);
        NDArray q = logits.getManager().create(targets, s);
        return logp.mul(q).sum(new int[] {1}).mean().neg();
    }
}
