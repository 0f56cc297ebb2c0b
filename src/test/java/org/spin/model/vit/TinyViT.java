package org.spin.model.vit;

import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spin.config.SpinConfig;
import org.spin.io.HostTensor;

/** A ViT small enough for every test to build many: C 16, depth 4, 2 heads, 8-px 3-channel images in 4-px patches. */
final class TinyViT {

    static final int SIZE = 8;
    static final int CLASSES = 5;

    private TinyViT() {}

    static SpinConfig config() {
        return SpinConfig.defaults().with("MODEL.ARCH", "vit").with("VIT.EMBED_DIM", 16).with("VIT.DEPTH", 4)
                .with("VIT.NUM_HEADS", 2).with("VIT.MLP_RATIO", 2.0).with("VIT.PATCH_SIZE", 4)
                .with("VIT.QKV_BIAS", true).with("DATA.INPUT_CHANNEL_NUM", List.of(3))
                .with("MODEL.NUM_CLASSES", CLASSES).with("VIT.WEIGHT_SHARE.RELAX_GROUP", 8)
                .with("VIT.WEIGHT_SHARE.LORA_RANK", 4);
    }

    /** {@code cfg} shared at {@code rate} over {@code scope}, strided so a slot's layers are not neighbours. */
    static SpinConfig shared(SpinConfig cfg, String scope, int rate) {
        return cfg.with("VIT.WEIGHT_SHARE.ENABLE", rate > 1).with("VIT.WEIGHT_SHARE.SHARE_RATE", rate)
                .with("VIT.WEIGHT_SHARE.SHARING_MAPPING", "strided").with("VIT.WEIGHT_SHARE.SCOPE", scope);
    }

    /** The unshared twin's state dict: {@code blocks.{l}.X} is a copy of {@code shared.{plan[l]}.X}. */
    static Map<String, HostTensor> expand(Map<String, HostTensor> shared, int[] plan) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        shared.forEach((k, v) -> {
            if (k.startsWith("shared.")) {
                int dot = k.indexOf('.', "shared.".length());
                int slot = Integer.parseInt(k.substring("shared.".length(), dot));
                for (int l = 0; l < plan.length; l++) {
                    if (plan[l] == slot) {
                        out.put("blocks." + l + k.substring(dot), v);
                    }
                }
            } else {
                out.put(k, v);
            }
        });
        return out;
    }

    /** A deterministic input with no symmetry the model could hide behind. */
    static float[] input(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.sin(0.37 * i);
        }
        return x;
    }

    static float[] grad(Parameter p) {
        return p.getArray().getGradient().toFloatArray();
    }

    static double norm(float[] v) {
        double s = 0;
        for (float f : v) {
            s += (double) f * f;
        }
        return Math.sqrt(s);
    }
}
