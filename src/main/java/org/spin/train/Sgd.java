package org.spin.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.spin.SpinException;

/**
 * SGD with PyTorch's semantics ({@code torch.optim.SGD}, as SlowFast builds it from
 * {@code SOLVER.MOMENTUM}, {@code DAMPENING} and {@code NESTEROV}): the weight decay is added to
 * the gradient ({@code d = g + wd·p}), the momentum buffer starts as the first such {@code d} and
 * then becomes {@code μ·b + (1 − dampening)·d}; the step is {@code lr·(d + μ·b)} with Nesterov,
 * else {@code lr·b}.
 */
public final class Sgd extends Optimizer {

    private final double momentum;
    private final double dampening;
    private final boolean nesterov;

    public Sgd(List<Slot> slots, NDManager parent, double momentum, double dampening, boolean nesterov) {
        super(slots, parent, "momentum_buffer");
        if (!(momentum >= 0)) {
            throw new SpinException("SOLVER.MOMENTUM " + momentum + " must be 0 or more");
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new SpinException("SOLVER.NESTEROV True needs SOLVER.MOMENTUM above 0 and SOLVER.DAMPENING 0 (as"
                    + " torch.optim.SGD); got momentum " + momentum + ", dampening " + dampening);
        }
        this.momentum = momentum;
        this.dampening = dampening;
        this.nesterov = nesterov;
    }

    @Override
    protected boolean update(int i, NDArray w, NDArray g, double lr, double rescale, NDManager scope) {
        NDArray d = g.mul(scope.create((float) rescale));
        double wd = slots.get(i).weightDecay();
        if (wd != 0) {
            d.addi(w.mul(scope.create((float) wd)));
        }
        if (momentum != 0) {
            NDArray b = buffer("momentum_buffer", i);
            if (stepCount() == 1) {
                b.set(d.toFloatArray()); // PyTorch's first step: the buffer is the gradient itself
            } else {
                b.muli(scope.create((float) momentum)).addi(d.mul(scope.create((float) (1 - dampening))));
            }
            d = nesterov ? d.add(b.mul(scope.create((float) momentum))) : b;
        }
        w.subi(d.mul(scope.create((float) lr)));
        return false;
    }
}
