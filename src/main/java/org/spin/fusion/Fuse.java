package org.spin.fusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.spin.config.SpinConfig;
import org.spin.io.HostTensor;
import org.spin.model.HostArrays;
import org.spin.model.StateDicts;
import org.spin.model.convmixer.ConvMixer;

/**
 * Export of a fusion model to the compact shared model: one pointwise weight and bias per slot,
 * fused once; no per-layer sources and no reduction weights (the reference's export keeps the
 * reduction weights). The keys are the reference's, so the file loads into its shared model.
 */
public final class Fuse {

    private static final String WS = "CONVMIXER.WEIGHT_SHARE.";

    private Fuse() {}

    /** The compact state dict: {@code pwise_w.{s}}, {@code pwise_b.{s}} per slot, then the rest as is. */
    public static Map<String, HostTensor> compactStateDict(ConvMixer fusion, NDManager parent) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        try (NDManager scope = parent.newSubManager()) {
            NDArray[][] slots = fusion.slotWeights(scope);
            for (int s = 0; s < slots[0].length; s++) {
                out.put("pwise_w." + s, HostArrays.toHost(slots[0][s]));
            }
            for (int s = 0; s < slots[1].length; s++) {
                out.put("pwise_b." + s, HostArrays.toHost(slots[1][s]));
            }
        }
        StateDicts.export(fusion).forEach((k, v) -> {
            if (!k.startsWith("pwise_") && !k.startsWith("reduction_w.")) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * The compact model's config: sharing on, no reduction, and the plan written out, so a
     * random or explicit plan survives, and no initialisation file.
     */
    public static SpinConfig compactConfig(SpinConfig fusion, ConvMixer model) {
        return fusion.with(WS + "ENABLE", true).with(WS + "REDUCTION_FN", null)
                .with(WS + "PLAN", java.util.Arrays.stream(model.plan().toArray()).boxed().toList())
                .with("TRAIN.CHECKPOINT_FILE_PATH", "").with("DISTILL.TEACHER", "");
    }
}
