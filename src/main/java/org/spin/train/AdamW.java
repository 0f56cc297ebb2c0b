package org.spin.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * AdamW with PyTorch's semantics ({@code torch.optim.AdamW}): decoupled weight decay
 * {@code p ← p·(1 − lr·wd)}, bias-corrected moments, and epsilon added to the corrected
 * {@code √v̂}.
 *
 * <p>It drives the engine's fused update (one native call per parameter, which also zeroes the
 * gradient). That kernel adds epsilon to the uncorrected √v; passing {@code eps·√(1−β₂ᵗ)} and the
 * step size {@code lr·√(1−β₂ᵗ)/(1−β₁ᵗ)} makes it compute exactly PyTorch's update.
 */
public final class AdamW extends Optimizer {

    private final double beta1;
    private final double beta2;
    private final double eps;

    public AdamW(List<Slot> slots, NDManager parent, double beta1, double beta2, double eps) {
        super(slots, parent, "exp_avg", "exp_avg_sq");
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    @Override
    protected boolean update(int i, NDArray w, NDArray g, double lr, double rescale, NDManager scope) {
        double bc1 = 1 - Math.pow(beta1, stepCount());
        double bc2 = 1 - Math.pow(beta2, stepCount());
        w.getNDArrayInternal().adamUpdate(new NDList(w, g, buffer("exp_avg", i), buffer("exp_avg_sq", i)), new NDList(w),
                (float) lr, (float) (lr * Math.sqrt(bc2) / bc1), (float) slots.get(i).weightDecay(), (float) rescale, -1f,
                (float) beta1, (float) beta2, (float) (eps * Math.sqrt(bc2)), false, true);
        return true;
    }
}
