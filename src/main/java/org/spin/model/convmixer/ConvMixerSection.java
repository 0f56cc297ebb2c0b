package org.spin.model.convmixer;

import org.spin.config.ConfigSchema;
import org.spin.config.ConfigSection;
import org.spin.config.SpinSchema;

/** ConvMixer's keys, as the reference's configs spell them. */
public final class ConvMixerSection implements ConfigSection {

    private static final boolean Y = true;

    @Override
    public void declare(ConfigSchema.Builder b) {
        b.section("CONVMIXER").integer("DEPTH", 32, Y, "number of mixer layers")
                .integer("CHANNEL", 768, Y, "hidden channels C")
                .integer("PATCH_KERNEL", 7, Y, "patch-embedding kernel P")
                .integer("PATCH_STRIDE", 7, Y, "patch-embedding stride")
                .integer("PATCH_PADDING", 0, Y, "patch-embedding padding")
                .integer("KERNEL", 3, Y, "depthwise kernel K")
                .choice("ACT_FUNC", "RELU", Y, "activation after every convolution", "RELU", "GELU")
                .bool("POINTWISE_RESIDUAL", true, Y, "a residual around the pointwise conv, as SPIN's reference;"
                        + " False is the original ConvMixer's block (timm's), which its pretrained weights need");
        SpinSchema.weightShare(b, "CONVMIXER");
    }
}
