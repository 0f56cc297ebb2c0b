package org.spin.model.convmixer;

import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.model.ConfigChecks;
import org.spin.model.shared.Reduction;
import org.spin.model.layers.Act;
import org.spin.model.shared.Sharing;
import org.spin.sharing.SharingPlan;

/**
 * The shape of a SPIN ConvMixer: width C ({@code channels}), depth D, patch size P, depthwise
 * kernel K, and the sharing plan that maps each of the D layers to one of its pointwise slots.
 *
 * @param patchPadding the reference's {@code PATCH_PADDING}; 0 in every published config
 * @param pointwiseResidual whether the pointwise branch has a residual (SPIN's reference); without
 *     it the block is the original ConvMixer's, as timm's pretrained weights were trained
 * @param dropout applied before the classifier only when positive, as the reference
 * @param sharing the plan, what it shares (pointwise by default), weight fusion's reduction
 *     ({@code REDUCTION_FN}: with one, the model keeps a source per layer and fuses each slot's
 *     group) and the relaxation
 */
public record ConvMixerConfig(int channels, int depth, int patchKernel, int patchStride, int patchPadding,
                              int kernel, Act act, boolean pointwiseResidual, int inChannels, int numClasses, float dropout,
                              Sharing sharing) {

    public ConvMixerConfig {
        ConfigChecks.positive("CONVMIXER.CHANNEL", channels);
        ConfigChecks.positive("CONVMIXER.DEPTH", depth);
        ConfigChecks.positive("CONVMIXER.PATCH_KERNEL", patchKernel);
        ConfigChecks.positive("CONVMIXER.PATCH_STRIDE", patchStride);
        ConfigChecks.positive("CONVMIXER.KERNEL", kernel);
        if (patchPadding < 0) {
            throw new SpinException("CONVMIXER.PATCH_PADDING " + patchPadding + " must be 0 or more");
        }
        if (kernel % 2 == 0) {
            throw new SpinException("CONVMIXER.KERNEL " + kernel + " is even; the depthwise residual needs"
                    + " 'same' padding, so the kernel must be odd (e.g. " + (kernel + 1) + ")");
        }
        ConfigChecks.common(inChannels, numClasses, dropout, sharing, "CONVMIXER.DEPTH", depth);
    }

    /** Reads the reference's keys (section {@code CONVMIXER}, plus model and data keys). */
    public static ConvMixerConfig from(SpinConfig cfg) {
        int depth = cfg.getInt("CONVMIXER.DEPTH");
        return new ConvMixerConfig(
                cfg.getInt("CONVMIXER.CHANNEL"), depth,
                cfg.getInt("CONVMIXER.PATCH_KERNEL"), cfg.getInt("CONVMIXER.PATCH_STRIDE"),
                cfg.getInt("CONVMIXER.PATCH_PADDING"), cfg.getInt("CONVMIXER.KERNEL"),
                Act.parse(cfg.getString("CONVMIXER.ACT_FUNC")), cfg.getBool("CONVMIXER.POINTWISE_RESIDUAL"),
                ConfigChecks.inChannels(cfg),
                cfg.getInt("MODEL.NUM_CLASSES"), (float) cfg.getDouble("MODEL.DROPOUT_RATE"),
                Sharing.from(cfg, "CONVMIXER", depth, ConvMixer.SCOPES));
    }

    public SharingPlan plan() {
        return sharing.plan();
    }

    /** Weight fusion's reduction, or null for none. */
    public Reduction reduction() {
        return sharing.reduction();
    }

    /** Whether the model keeps per-layer sources and fuses them (a fusion model). */
    public boolean fuses() {
        return sharing.fuses();
    }


    /** Side of the token grid for a square input of side {@code imageSize}. */
    public int gridSize(int imageSize) {
        int g = (imageSize + 2 * patchPadding - patchKernel) / patchStride + 1;
        if (g < 1) {
            throw new SpinException("input size " + imageSize + " is smaller than the patch kernel " + patchKernel);
        }
        return g;
    }
}
