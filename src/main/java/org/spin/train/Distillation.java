package org.spin.train;

import ai.djl.ndarray.NDArray;
import org.spin.SpinException;
import org.spin.model.SpinModel;
import org.spin.runtime.Scalars;

/**
 * Knowledge distillation from a teacher (Hinton et al. 2015; MiniViT distils shared ViTs from
 * their unshared source): loss = (1−α)·CE + α·T²·KL(softmax(t/T) ‖ softmax(s/T)), the teacher
 * run in eval mode outside the gradient tape. T² keeps the soft term's gradient scale
 * independent of T.
 */
public record Distillation(SpinModel teacher, double alpha, double temperature) {

    public Distillation {
        check(alpha, temperature);
    }

    /** Rejects settings out of range, naming the key (before a teacher is read). */
    public static void check(double alpha, double temperature) {
        if (alpha < 0 || alpha > 1) {
            throw new SpinException("DISTILL.ALPHA " + alpha + " must be in [0, 1]");
        }
        if (!(temperature > 0)) {
            throw new SpinException("DISTILL.TEMPERATURE " + temperature + " must be positive");
        }
    }

    /** Batch mean of the mixed loss; the result lives in the student logits' manager. */
    public NDArray loss(NDArray student, NDArray teacherLogits, int[] labels, double smoothing) {
        NDArray ce = SoftCrossEntropy.loss(student, labels, smoothing);
        return Scalars.times(ce, 1 - alpha).add(Scalars.times(softTerm(student, teacherLogits), alpha));
    }

    /** T²·KL(p_t ‖ p_s) at temperature T, averaged over the batch. */
    NDArray softTerm(NDArray student, NDArray teacherLogits) {
        double t = temperature;
        NDArray logPs = Scalars.dividedBy(student, t).logSoftmax(1);
        NDArray logPt = Scalars.dividedBy(teacherLogits, t).logSoftmax(1);
        NDArray kl = logPt.exp().mul(logPt.sub(logPs)).sum(new int[] {1}).mean();
        return Scalars.times(kl, t * t);
    }
}
