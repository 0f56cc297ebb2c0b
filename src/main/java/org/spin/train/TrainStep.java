package org.spin.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.spin.SpinException;
import org.spin.model.SpinModel;
import org.spin.runtime.Autograd;
import org.spin.runtime.Scalars;

/**
 * One optimisation step: forward, label-smoothed loss, backward, the optimizer's update. All of the step's
 * arrays live in a sub-manager closed before it returns: an op's result joins its first
 * operand's manager, so without this scope activations would pile up in the model's manager.
 */
public final class TrainStep {

    private final SpinModel model;
    private final NDManager manager;
    private final Optimizer optimizer;
    private final double smoothing;
    private final Double clipNorm;
    private final Distillation distillation;
    private final int accumSteps;
    private final Replicas replicas;
    private final InputBuffer input = new InputBuffer();

    public TrainStep(SpinModel model, NDManager manager, Optimizer optimizer, double smoothing, Double clipNorm) {
        this(model, manager, optimizer, smoothing, clipNorm, null, 1, null);
    }

    /**
     * @param distillation a teacher to distil from, or null
     * @param accumSteps   micro-batches each step's batch is cut into: their gradients add up to the
     *                     whole batch's before the one update, so a large global batch fits in memory
     *                     (BatchNorm then normalises each micro-batch, as each device does in a
     *                     data-parallel run)
     * @param replicas     data-parallel copies of {@code model} (its replica 0) to share each batch with, or null
     */
    public TrainStep(SpinModel model, NDManager manager, Optimizer optimizer, double smoothing, Double clipNorm,
                     Distillation distillation, int accumSteps, Replicas replicas) {
        if (accumSteps < 1) {
            throw new IllegalArgumentException("accumSteps " + accumSteps + " must be at least 1");
        }
        this.model = model;
        this.manager = manager;
        this.optimizer = optimizer;
        this.smoothing = smoothing;
        this.clipNorm = clipNorm;
        this.distillation = distillation;
        this.accumSteps = accumSteps;
        this.replicas = replicas;
        if (replicas != null && distillation != null) {
            throw new SpinException("DISTILL.TEACHER with several replicas (NUM_GPUS or NUM_CPU_REPLICAS above 1)"
                    + " is not supported; distil on one device");
        }
    }

    /** Runs the step on a host batch (B, C, H, W) and returns its loss. */
    public double run(float[] images, Shape shape, int[] labels, double lr) {
        return run(images, shape, labels, null, lr);
    }

    /**
     * As {@link #run(float[], Shape, int[], double)} against soft {@code targets} (B×K, label
     * smoothing already in them) when given, e.g. a batch Mixup mixed.
     *
     * @return the batch's mean loss (over every micro-batch)
     */
    public double run(float[] images, Shape shape, int[] labels, float[] targets, double lr) {
        if (targets != null && distillation != null) {
            throw new SpinException("distilling from a teacher on mixed batches is not supported; set MIXUP.ENABLE False"
                    + " or DISTILL.TEACHER empty");
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = input.wrap(scope, images, shape);
            int batch = (int) shape.get(0);
            double loss;
            if (replicas == null) {
                loss = accumulate(model, scope, x, 0, batch, batch, labels, targets);
            } else {
                // shard r of the global batch on replica r, all at once; then one set of gradients
                int shards = replicas.size();
                loss = replicas.parallel(r -> {
                    int from = (int) ((long) batch * r / shards);
                    int to = (int) ((long) batch * (r + 1) / shards);
                    if (r == 0) {
                        return accumulate(model, scope, x.get(new NDIndex(from + ":" + to)), from, to, batch, labels, targets);
                    }
                    try (NDManager own = replicas.manager(r).newSubManager()) {
                        NDArray shard = x.get(new NDIndex(from + ":" + to)).toDevice(own.getDevice(), true);
                        shard.attach(own);
                        return accumulate(replicas.model(r), own, shard, from, to, batch, labels, targets);
                    }
                });
                replicas.gatherGradients();
            }
            optimizer.step(lr, clipNorm);
            if (replicas != null) {
                replicas.broadcast();
            }
            return loss;
        }
    }

    /**
     * Forward and backward of {@code x}, the rows {@code from..to} of a global batch of {@code batch},
     * in {@code accumSteps} micro-batches whose gradients add up; returns their loss weighted by
     * their share of the global batch.
     */
    private double accumulate(SpinModel m, NDManager scope, NDArray x, int from, int to, int batch, int[] labels,
                              float[] targets) {
        int n = to - from;
        int parts = Math.min(accumSteps, n);
        if (parts == 1 && n == batch) {
            return backward(m, x, labels, targets, 1).getFloat();
        }
        int classes = targets == null ? 0 : targets.length / batch;
        double loss = 0;
        for (int i = 0, a = 0; i < parts; i++) {
            int b = a + (n - a) / (parts - i);
            // each micro-batch's graph is freed after its backward pass: only one is held at a time
            try (NDManager micro = scope.newSubManager()) {
                NDArray xi = parts == 1 ? x : x.get(new NDIndex(a + ":" + b));
                if (parts > 1) {
                    xi.attach(micro);
                }
                double weight = (double) (b - a) / batch;
                int lo = from + a;
                int hi = from + b;
                loss += weight * backward(m, xi, Arrays.copyOfRange(labels, lo, hi),
                        targets == null ? null : Arrays.copyOfRange(targets, lo * classes, hi * classes), weight).getFloat();
            }
            a = b;
        }
        return loss;
    }

    /**
     * Forward, loss and backward of {@code x}, the gradient scaled by {@code weight} (the share of
     * the batch it is); returns the unscaled mean loss.
     */
    private NDArray backward(SpinModel m, NDArray x, int[] labels, float[] targets, double weight) {
        // outside the tape, so nothing of the teacher is recorded for backward
        NDArray teacherLogits = null;
        if (distillation != null && distillation.alpha() != 0) {
            try (Autograd.Scope inference = Autograd.paused()) {
                teacherLogits = distillation.teacher().forward(x, false);
            }
        }
        NDArray loss;
        NDArray scaled;
        try (Autograd.Scope tape = Autograd.recording()) {
            NDArray logits = m.forward(x, true);
            if (targets != null) {
                loss = SoftCrossEntropy.loss(logits, targets);
            } else {
                loss = teacherLogits == null ? SoftCrossEntropy.loss(logits, labels, smoothing)
                        : distillation.loss(logits, teacherLogits, labels, smoothing);
            }
            scaled = weight == 1 ? loss : Scalars.times(loss, weight);
        }
        Autograd.backward(scaled);
        return loss;
    }
}
