package org.spin.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.spin.SpinException;
import org.spin.model.SpinModel;
import org.spin.runtime.Autograd;

/**
 * One optimisation step: forward, label-smoothed loss, backward, AdamW. All of the step's
 * arrays live in a sub-manager closed before it returns: an op's result joins its first
 * operand's manager, so without this scope activations would pile up in the model's manager.
 */
public final class TrainStep {

    private final SpinModel model;
    private final NDManager manager;
    private final AdamW optimizer;
    private final double smoothing;
    private final Double clipNorm;
    private final Distillation distillation;
    private final InputBuffer input = new InputBuffer();

    public TrainStep(SpinModel model, NDManager manager, AdamW optimizer, double smoothing, Double clipNorm) {
        this(model, manager, optimizer, smoothing, clipNorm, null);
    }

    /** @param distillation a teacher to distil from, or null */
    public TrainStep(SpinModel model, NDManager manager, AdamW optimizer, double smoothing, Double clipNorm,
                     Distillation distillation) {
        this.model = model;
        this.manager = manager;
        this.optimizer = optimizer;
        this.smoothing = smoothing;
        this.clipNorm = clipNorm;
        this.distillation = distillation;
    }

    /** Runs the step on a host batch (B, C, H, W) and returns its loss. */
    public double run(float[] images, Shape shape, int[] labels, double lr) {
        return run(images, shape, labels, null, lr);
    }

    /**
     * As {@link #run(float[], Shape, int[], double)} against soft {@code targets} (B×K, label
     * smoothing already in them) when given, e.g. a batch Mixup mixed.
     */
    public double run(float[] images, Shape shape, int[] labels, float[] targets, double lr) {
        if (targets != null && distillation != null) {
            throw new SpinException("distilling from a teacher on mixed batches is not supported; set MIXUP.ENABLE False"
                    + " or DISTILL.TEACHER empty");
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = input.wrap(scope, images, shape);
            NDArray loss;
            // outside the collector, so nothing of the teacher is recorded for backward
            NDArray teacherLogits = null;
            if (distillation != null && distillation.alpha() != 0) {
                try (Autograd.Scope inference = Autograd.paused()) {
                    teacherLogits = distillation.teacher().forward(x, false);
                }
            }
            try (Autograd.Scope tape = Autograd.recording()) {
                NDArray logits = model.forward(x, true);
                if (targets != null) {
                    loss = SoftCrossEntropy.loss(logits, targets);
                } else {
                    loss = teacherLogits == null ? SoftCrossEntropy.loss(logits, labels, smoothing)
                            : distillation.loss(logits, teacherLogits, labels, smoothing);
                }
            }
            Autograd.backward(loss);
            optimizer.step(lr, clipNorm);
            return loss.getFloat();
        }
    }
}
