package org.spin.model.convnext;

import org.spin.config.ConfigSchema;
import org.spin.config.ConfigSection;
import org.spin.config.SpinSchema;

/** The isotropic ConvNeXt's keys (ours; the defaults are a small model for 28-px gray images on the CPU). */
public final class ConvNeXtSection implements ConfigSection {

    private static final boolean Y = true;

    @Override
    public void declare(ConfigSchema.Builder b) {
        b.section("CONVNEXT").integer("DIM", 64, Y, "width C of every block")
                .integer("DEPTH", 8, Y, "number of blocks")
                .integer("PATCH_SIZE", 2, Y, "stem kernel and stride P (16 on ImageNet)")
                .integer("KERNEL", 7, Y, "depthwise kernel K (odd)")
                .integer("MLP_RATIO", 4, Y, "inverted bottleneck width as a multiple of C")
                .number("LAYER_SCALE_INIT", 0.0, Y, "initial layer scale gamma per block; 0 means none (the isotropic default)")
                .number("DROP_PATH_RATE", 0.0, Y, "stochastic depth: each sample's residual branch is dropped with this"
                        + " probability in the last block, linearly less down to 0 in the first (ConvNeXt-iso: S 0.1, B 0.2)");
        SpinSchema.weightShare(b, "CONVNEXT");
    }
}
