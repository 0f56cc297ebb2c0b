package org.spin.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spin.SpinException;
import org.spin.io.HostTensor;
import org.spin.model.HostArrays;
import org.spin.model.SpinModel;
import org.spin.runtime.Autograd;

/**
 * An exponential moving average of a model's weights, as timm's {@code ModelEmaV2}: after every
 * optimizer update each tensor of the state dict, running statistics included, becomes
 * {@code decay · average + (1 − decay) · current}. The average is a model of its own, so it is
 * evaluated, saved and exported as any model is; the official isotropic ConvNeXt results are
 * such averages.
 *
 * <p>With {@code warmup} the decay follows timm's {@code ModelEmaV3} warm-up instead, so early
 * averages are not dominated by the random initial weights: 0 at the first update, then
 * {@code 1 − (1 + n)^(−2/3)} at update n + 1, never above {@code decay}.
 */
public final class ModelEma {

    private final SpinModel average;
    private final double decay;
    private final boolean warmup;
    private final List<NDArray[]> pairs = new ArrayList<>(); // {current, average}
    private final List<String> names = new ArrayList<>();

    /**
     * Starts the average at {@code model}'s weights.
     *
     * @param average a model of the same config, whose weights become the average (on the model's
     *                device, or on the CPU to save device memory)
     */
    public ModelEma(SpinModel model, SpinModel average, double decay, boolean warmup) {
        if (!(decay >= 0 && decay < 1)) {
            throw new SpinException("MODEL_EMA.DECAY " + decay + " must be in [0, 1), e.g. 0.9999");
        }
        this.average = average;
        this.decay = decay;
        this.warmup = warmup;
        Map<String, Parameter> src = model.stateDict();
        Map<String, Parameter> dst = average.stateDict();
        if (!src.keySet().equals(dst.keySet())) {
            throw new IllegalArgumentException("the average's state dict differs from the model's");
        }
        src.forEach((name, p) -> {
            pairs.add(new NDArray[] {p.getArray(), dst.get(name).getArray()});
            names.add(name);
        });
        restart();
    }

    /** Sets the average to the model's current weights (decay 0: a copy). */
    public void restart() {
        update(-1);
    }

    /** The manager the average's tensors live in (its device's): evaluate it with inputs made there. */
    public NDManager manager() {
        return pairs.get(0)[1].getManager();
    }

    /** The decay of the update after {@code updates} optimizer updates in all. */
    public double decayAt(long updates) {
        if (updates < 0) {
            return 0;
        }
        if (!warmup) {
            return decay;
        }
        long n = updates - 1; // timm counts from the first update, which copies
        return n <= 0 ? 0 : Math.min(decay, 1 - Math.pow(1 + n, -2.0 / 3));
    }

    /** Moves the average towards the model's current weights, after update number {@code updates}. */
    public void update(long updates) {
        double d = decayAt(updates);
        // one scope, one grad-mode switch and one scalar per update, not per tensor: this runs every step
        try (NDManager scope = pairs.get(0)[1].getManager().newSubManager(); Autograd.Scope off = Autograd.paused()) {
            NDArray rate = d == 0 ? null : scope.create((float) (1 - d));
            for (NDArray[] pair : pairs) {
                NDArray current = pair[0];
                NDArray avg = pair[1];
                NDArray c = current;
                if (!current.getDevice().equals(avg.getDevice())) {
                    c = current.toDevice(avg.getDevice(), true);
                    c.attach(scope); // the copy only: the model's own tensor stays the model's
                }
                if (rate == null) {
                    c.copyTo(avg);
                } else {
                    // avg ← avg + (1 − d)(c − avg)
                    NDArray delta = c.sub(avg);
                    delta.attach(scope);
                    avg.addi(delta.muli(rate));
                }
            }
        }
    }

    public SpinModel average() {
        return average;
    }

    /** The average's tensors under {@code ema.KEY}, for the training state a run resumes from. */
    public Map<String, HostTensor> state() {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.size(); i++) {
            out.put("ema." + names.get(i), HostArrays.toHost(pairs.get(i)[1]));
        }
        return out;
    }

    /**
     * Restores the average from a training state; false when the state has none (a run resumed
     * with {@code MODEL_EMA.ENABLE} newly on), which leaves the average at the model's weights.
     */
    public boolean load(Map<String, HostTensor> state, String source) {
        if (!state.containsKey("ema." + names.get(0))) {
            return false;
        }
        for (int i = 0; i < pairs.size(); i++) {
            String key = "ema." + names.get(i);
            HostTensor t = state.get(key);
            if (t == null) {
                throw new SpinException(source + ": training state lacks " + key);
            }
            HostArrays.copyInto(pairs.get(i)[1], t, source + ": " + key);
        }
        return true;
    }
}
