package org.spin.model.vit;

import org.spin.config.ConfigSchema;
import org.spin.config.ConfigSection;
import org.spin.config.SpinSchema;

/** ViT/DeiT's keys; the defaults are a small CPU ViT for 28-px gray images (7×7 patches of 4 px). */
public final class ViTSection implements ConfigSection {

    private static final boolean Y = true;

    @Override
    public void declare(ConfigSchema.Builder b) {
        b.section("VIT").integer("EMBED_DIM", 64, Y, "token width C")
                .integer("DEPTH", 6, Y, "number of transformer blocks")
                .integer("NUM_HEADS", 4, Y, "attention heads; must divide EMBED_DIM")
                .number("MLP_RATIO", 2.0, Y, "MLP hidden width over EMBED_DIM (DeiT: 4)")
                .integer("PATCH_SIZE", 4, Y, "patch side P: a P×P conv with stride P embeds the patches")
                .bool("QKV_BIAS", true, Y, "bias on the query/key/value projection, as timm's ViT")
                .number("DROP_PATH_RATE", 0.0, Y, "stochastic depth: each sample's residual branches are dropped with"
                        + " this probability in the last block, linearly less down to 0 in the first (timm's; DeiT: 0.1)");
        SpinSchema.weightShare(b, "VIT");
    }
}
