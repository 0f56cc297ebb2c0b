package org.spin.train;

import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.spin.model.SpinModel;

/**
 * Which trainable tensors the optimizer decays, by a rule each family makes explicit:
 * <ul>
 *   <li>always exempt: what the model lists in {@link SpinModel#noWeightDecay()} (norm scales and
 *       offsets, as SlowFast's {@code BN.WEIGHT_DECAY 0}; position embedding, class token, layer
 *       scales, relaxation scales and shifts, as timm's {@code no_weight_decay()});</li>
 *   <li>with {@code SOLVER.ZERO_WD_1D_PARAM} also every 1-D tensor and every bias, as timm and
 *       SlowFast do with that key (ViT's and ConvNeXt's recipes; the reference ConvMixer's is off).</li>
 * </ul>
 * A shared tensor is one slot: the state dict lists it once.
 */
public final class DecayGroups {

    private DecayGroups() {}

    /** Why a tensor is not decayed, or that it is. */
    public enum Group {
        DECAYED("weight decay"),
        MODEL_LIST("no decay: norms, embeddings, tokens, scales"),
        ONE_D("no decay: biases and 1-D tensors (ZERO_WD_1D_PARAM)");

        private final String label;

        Group(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The model's trainable tensors as optimizer slots, each with the decay its group gets. */
    public static List<Optimizer.Slot> slots(SpinModel model, double weightDecay, boolean zeroWd1d) {
        List<Optimizer.Slot> out = new ArrayList<>();
        groups(model, zeroWd1d).forEach((name, e) -> out.add(
                new Optimizer.Slot(name, e.param(), e.group() == Group.DECAYED ? weightDecay : 0)));
        return out;
    }

    /** A trainable tensor and its group. */
    public record Entry(Parameter param, Group group) {}

    /** Every trainable tensor under its state-dict key, in state-dict order, with its group. */
    public static Map<String, Entry> groups(SpinModel model, boolean zeroWd1d) {
        Set<String> listed = model.noWeightDecay();
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.stateDict().entrySet()) {
            Parameter p = e.getValue();
            if (!p.requiresGradient()) {
                continue;
            }
            String name = e.getKey();
            Group g = listed.contains(name) ? Group.MODEL_LIST
                    : zeroWd1d && (p.getArray().getShape().dimension() <= 1 || name.endsWith(".bias")) ? Group.ONE_D
                    : Group.DECAYED;
            out.put(name, new Entry(p, g));
        }
        return out;
    }

    /**
     * One line per group: its tensors and parameters, with the names folded over layer and slot
     * index ({@code blocks.*.norm1.weight ×12}), for {@code spin stats}.
     */
    public static List<String> describe(SpinModel model, double weightDecay, boolean zeroWd1d) {
        Map<Group, Map<String, Integer>> names = new LinkedHashMap<>();
        Map<Group, long[]> counts = new LinkedHashMap<>();
        for (Group g : Group.values()) {
            names.put(g, new LinkedHashMap<>());
            counts.put(g, new long[2]);
        }
        groups(model, zeroWd1d).forEach((name, e) -> {
            names.get(e.group()).merge(name.replaceFirst("\\.\\d+(?=\\.|$)", ".*"), 1, Integer::sum);
            counts.get(e.group())[0]++;
            counts.get(e.group())[1] += e.param().getArray().size();
        });
        List<String> out = new ArrayList<>();
        for (Group g : Group.values()) {
            long[] c = counts.get(g);
            if (c[0] == 0) {
                continue;
            }
            List<String> folded = new ArrayList<>();
            names.get(g).forEach((n, k) -> folded.add(k == 1 ? n : n + " ×" + k));
            out.add(String.format("%s%s: %d tensors, %,d parameters: %s", g.label(),
                    g == Group.DECAYED ? " " + Numbers.text(weightDecay) : "", c[0], c[1], String.join(", ", folded)));
        }
        return out;
    }
}
