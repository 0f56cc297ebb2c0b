package org.spin.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    // the step's scalars, made once per update in its scope (each is a native call)
    private NDArray lrS;
    private NDArray rescaleS;
    private NDArray momentumS;
    private NDArray keepS;
    private final Map<Double, NDArray> decayS = new HashMap<>();

    @Override
    protected void beginStep(double lr, double rescale, NDManager scope) {
        lrS = scope.create((float) lr);
        rescaleS = scope.create((float) rescale);
        momentumS = scope.create((float) momentum);
        keepS = scope.create((float) (1 - dampening));
        decayS.clear();
    }

    @Override
    protected boolean update(int i, NDArray w, NDArray g, double lr, double rescale, NDManager scope) {
        // a result joins its first operand's manager: each product starts from a scalar made in the
        // step's scope, so no temporary joins the weights' or the buffers' long-lived managers
        NDArray d = rescaleS.mul(g);
        double wd = slots.get(i).weightDecay();
        if (wd != 0) {
            d.addi(decayS.computeIfAbsent(wd, v -> scope.create(v.floatValue())).mul(w));
        }
        if (momentum != 0) {
            NDArray b = buffer("momentum_buffer", i);
            if (stepCount() == 1) {
                d.copyTo(b); // PyTorch's first step: the buffer is the gradient itself
            } else {
                b.muli(momentumS).addi(keepS.mul(d));
            }
            d = nesterov ? d.add(momentumS.mul(b)) : b;
        }
        w.subi(lrS.mul(d));
        return false;
    }
}
