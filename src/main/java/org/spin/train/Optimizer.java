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
 * An optimizer of PyTorch's semantics over named slots: one update per step from the gradients
 * the backward passes left, after clipping by the global L2 norm as {@code clip_grad_norm_};
 * a gradient whose norm is not finite is dropped instead, as the reference's loss scaler drops
 * it. Its per-slot buffers carry PyTorch's state names, so a checkpoint holds them by name.
 */
public abstract class Optimizer implements AutoCloseable {

    /** A trainable tensor under its state-dict name, with the weight decay that applies to it. */
    public record Slot(String name, Parameter param, double weightDecay) {}

    protected final List<Slot> slots;
    protected final NDManager manager;
    /** Per buffer name, one array per slot. */
    private final Map<String, List<NDArray>> buffers = new LinkedHashMap<>();
    private long step;
    private long skipped;
    private NDArray[] grads;

    protected Optimizer(List<Slot> slots, NDManager parent, String... bufferNames) {
        this.slots = List.copyOf(slots);
        this.manager = parent.newSubManager();
        for (String name : bufferNames) {
            List<NDArray> list = new ArrayList<>();
            for (Slot s : slots) {
                NDArray w = s.param().getArray();
                list.add(manager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
            }
            buffers.put(name, list);
        }
    }

    /** Slot {@code i}'s buffer {@code name}. */
    protected final NDArray buffer(String name, int i) {
        return buffers.get(name).get(i);
    }

    /**
     * Updates slot {@code i}'s weight {@code w} in place from its gradient {@code g} (already
     * clipped: multiply it by {@code rescale}), at update number {@link #stepCount()}; the
     * gradient is zeroed afterwards by the caller when the update does not zero it itself.
     *
     * @return whether the update zeroed the gradient itself
     */
    protected abstract boolean update(int i, NDArray w, NDArray g, double lr, double rescale, NDManager scope);

    /** Called once per update before the slots' {@link #update}s: what they share is made here, in {@code scope}. */
    protected void beginStep(double lr, double rescale, NDManager scope) {}

    /**
     * Applies one update from the gradients the last backward passes left, then zeroes them. A
     * gradient whose global norm is not finite is dropped instead ({@link #skippedSteps}).
     *
     * @param clipNorm the global L2 norm to clip to, or null for no clipping
     * @return the global gradient norm before clipping
     */
    public final double step(double lr, Double clipNorm) {
        NDArray[] grads = gradients();
        // an update is not part of any graph; grad mode is per thread and on in a new one
        try (NDManager scope = manager.newSubManager(); Autograd.Scope update = Autograd.paused()) {
            scope.tempAttachAll(grads); // the norm's temporaries join the scope, the grads come back
            double norm = globalNorm(grads);
            if (!Double.isFinite(norm)) {
                // As the reference's mixed-precision loss scaler does: no update from a gradient that
                // overflowed (clipping would scale it by 0 and turn its infinities into NaN weights).
                zero(grads);
                skipped++;
                return norm;
            }
            step++;
            double rescale = clipNorm == null ? 1.0 : Math.min(1.0, clipNorm / (norm + 1e-6));
            beginStep(lr, rescale, scope);
            for (int i = 0; i < grads.length; i++) {
                if (!update(i, slots.get(i).param().getArray(), grads[i], lr, rescale, scope)) {
                    grads[i].set(new NDIndex("..."), 0f);
                }
            }
            return norm;
        }
    }

    private static void zero(NDArray[] grads) {
        for (NDArray g : grads) {
            g.set(new NDIndex("..."), 0f);
        }
    }

    /**
     * The parameters' gradient tensors, fetched once after the first backward pass. PyTorch then
     * accumulates into the same tensors and the update zeroes them in place, so the handles stay
     * valid; fetching them every step would attach a new handle per parameter to the model's manager.
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
    public final long skippedSteps() {
        return skipped;
    }

    /** Updates applied. */
    public final long stepCount() {
        return step;
    }

    /** The buffers under {@code NAME.SLOT} (PyTorch's state names, e.g. {@code exp_avg.blocks.0.bn1.weight}). */
    public final Map<String, HostTensor> state() {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (int i = 0; i < slots.size(); i++) {
            for (Map.Entry<String, List<NDArray>> b : buffers.entrySet()) {
                out.put(b.getKey() + "." + slots.get(i).name(), HostArrays.toHost(b.getValue().get(i)));
            }
        }
        return out;
    }

    /** Restores the buffers and the update count from a checkpoint's training state. */
    public final void load(Map<String, HostTensor> state, long stepCount, String source) {
        for (int i = 0; i < slots.size(); i++) {
            for (Map.Entry<String, List<NDArray>> b : buffers.entrySet()) {
                String key = b.getKey() + "." + slots.get(i).name();
                HostTensor t = state.get(key);
                if (t == null) {
                    throw new SpinException(source + ": optimizer state lacks " + key
                            + " (saved by another SOLVER.OPTIMIZING_METHOD?)");
                }
                HostArrays.copyInto(b.getValue().get(i), t, source + ": optimizer state " + key);
            }
        }
        step = stepCount;
    }

    @Override
    public void close() {
        manager.close();
    }
}
