package org.spin.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spin.SpinException;
import org.spin.io.HostTensor;
import org.spin.model.HostArrays;
import org.spin.runtime.Autograd;

/**
 * AdamW with PyTorch's semantics ({@code torch.optim.AdamW}): decoupled weight decay
 * {@code p ← p·(1 − lr·wd)}, bias-corrected moments, and epsilon added to the corrected
 * {@code √v̂}, plus gradient clipping by the global L2 norm as {@code clip_grad_norm_}.
 *
 * <p>It drives the engine's fused update (one native call per parameter, which also zeroes the
 * gradient). That kernel adds epsilon to the uncorrected √v; passing {@code eps·√(1−β₂ᵗ)} and the
 * step size {@code lr·√(1−β₂ᵗ)/(1−β₁ᵗ)} makes it compute exactly PyTorch's update.
 */
public final class AdamW implements AutoCloseable {

    /** A trainable tensor under its state-dict name, with the weight decay that applies to it. */
    public record Slot(String name, Parameter param, double weightDecay) {}

    private final List<Slot> slots;
    private final NDManager manager;
    private final List<NDArray> expAvg = new ArrayList<>();
    private final List<NDArray> expAvgSq = new ArrayList<>();
    private final double beta1;
    private final double beta2;
    private final double eps;
    private long step;
    private long skipped;
    private NDArray[] grads;

    public AdamW(List<Slot> slots, NDManager parent, double beta1, double beta2, double eps) {
        this.slots = List.copyOf(slots);
        this.manager = parent.newSubManager();
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        for (Slot s : slots) {
            NDArray w = s.param().getArray();
            expAvg.add(manager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
            expAvgSq.add(manager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
        }
    }

    /**
     * Applies one update from the gradients the last backward pass left, then zeroes them. A
     * gradient whose global norm is not finite is dropped instead ({@link #skippedSteps}).
     *
     * @param clipNorm the global L2 norm to clip to, or null for no clipping
     * @return the global gradient norm before clipping
     */
    public double step(double lr, Double clipNorm) {
        NDArray[] grads = gradients();
        // an update is not part of any graph; grad mode is per thread and on in a new one
        try (NDManager scope = manager.newSubManager(); Autograd.Scope update = Autograd.paused()) {
            scope.tempAttachAll(grads); // the norm's temporaries join the scope, the grads come back
            double norm = globalNorm(grads);
            if (!Double.isFinite(norm)) {
                // As the reference's mixed-precision loss scaler does: no update from a gradient that
                // overflowed (clipping would scale it by 0 and turn its infinities into NaN weights).
                for (NDArray g : grads) {
                    g.set(new NDIndex("..."), 0f);
                }
                skipped++;
                return norm;
            }
            step++;
            double bc1 = 1 - Math.pow(beta1, step);
            double bc2 = 1 - Math.pow(beta2, step);
            double rescale = clipNorm == null ? 1.0 : Math.min(1.0, clipNorm / (norm + 1e-6));
            for (int i = 0; i < grads.length; i++) {
                NDArray w = slots.get(i).param().getArray();
                w.getNDArrayInternal().adamUpdate(
                        new NDList(w, grads[i], expAvg.get(i), expAvgSq.get(i)), new NDList(w),
                        (float) lr, (float) (lr * Math.sqrt(bc2) / bc1), (float) slots.get(i).weightDecay(),
                        (float) rescale, -1f, (float) beta1, (float) beta2, (float) (eps * Math.sqrt(bc2)),
                        false, true);
            }
            return norm;
        }
    }

    /**
     * The parameters' gradient tensors, fetched once after the first backward pass. PyTorch then
     * accumulates into the same tensors and the fused update zeroes them in place, so the
     * handles stay valid; fetching them every step would attach a new handle per parameter to
     * the model's manager.
     */
    private NDArray[] gradients() {
        if (grads == null) {
            grads = new NDArray[slots.size()];
            for (int i = 0; i < grads.length; i++) {
                grads[i] = slots.get(i).param().getArray().getGradient();
                grads[i].attach(manager);
            }
        }
        return grads;
    }

    private static double globalNorm(NDArray[] grads) {
        NDList squares = new NDList(grads.length);
        for (NDArray g : grads) {
            squares.add(g.square().sum());
        }
        return Math.sqrt(NDArrays.stack(squares).sum().getFloat());
    }

    /** Updates dropped because the gradient's norm was not finite. */
    public long skippedSteps() {
        return skipped;
    }

    public long stepCount() {
        return step;
    }

    /** Moments under {@code exp_avg.NAME} / {@code exp_avg_sq.NAME} (PyTorch's state names). */
    public Map<String, HostTensor> state() {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (int i = 0; i < slots.size(); i++) {
            String n = slots.get(i).name();
            out.put("exp_avg." + n, HostArrays.toHost(expAvg.get(i)));
            out.put("exp_avg_sq." + n, HostArrays.toHost(expAvgSq.get(i)));
        }
        return out;
    }

    public void load(Map<String, HostTensor> state, long stepCount, String source) {
        for (int i = 0; i < slots.size(); i++) {
            String n = slots.get(i).name();
            copy(state, "exp_avg." + n, expAvg.get(i), source);
            copy(state, "exp_avg_sq." + n, expAvgSq.get(i), source);
        }
        step = stepCount;
    }

    private static void copy(Map<String, HostTensor> state, String key, NDArray target, String source) {
        HostTensor t = state.get(key);
        if (t == null) {
            throw new SpinException(source + ": optimizer state lacks " + key);
        }
        HostArrays.copyInto(target, t, source + ": optimizer state " + key);
    }

    @Override
    public void close() {
        manager.close();
    }
}
