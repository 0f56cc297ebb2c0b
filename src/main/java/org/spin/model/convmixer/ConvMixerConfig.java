package org.spin.model.convmixer;

import java.util.List;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.model.shared.Reduction;
import org.spin.model.layers.Act;
import org.spin.model.shared.Sharing;
import org.spin.sharing.SharingPlan;

/**
 * The shape of a SPIN ConvMixer: width C ({@code channels}), depth D, patch size P, depthwise
 * kernel K, and the sharing plan that maps each of the D layers to one of its pointwise slots.
 *
 * @param patchPadding the reference's {@code PATCH_PADDING}; 0 in every published config
 * @param dropout applied before the classifier only when positive, as the reference
 * @param sharing the plan, what it shares (pointwise by default), weight fusion's reduction
 *     ({@code REDUCTION_FN}: with one, the model keeps a source per layer and fuses each slot's
 *     group) and the relaxation
 */
public record ConvMixerConfig(int channels, int depth, int patchKernel, int patchStride, int patchPadding,
                              int kernel, Act act, int inChannels, int numClasses, float dropout,
                              Sharing sharing) {

    public ConvMixerConfig {
        positive("CONVMIXER.CHANNEL", channels);
        positive("CONVMIXER.DEPTH", depth);
        positive("CONVMIXER.PATCH_KERNEL", patchKernel);
        positive("CONVMIXER.PATCH_STRIDE", patchStride);
        positive("CONVMIXER.KERNEL", kernel);
        positive("DATA.INPUT_CHANNEL_NUM", inChannels);
        positive("MODEL.NUM_CLASSES", numClasses);
        if (patchPadding < 0) {
            throw new SpinException("CONVMIXER.PATCH_PADDING " + patchPadding + " must be 0 or more");
        }
        if (kernel % 2 == 0) {
            throw new SpinException("CONVMIXER.KERNEL " + kernel + " is even; the depthwise residual needs"
                    + " 'same' padding, so the kernel must be odd (e.g. " + (kernel + 1) + ")");
        }
        if (dropout < 0 || dropout >= 1) {
            throw new SpinException("MODEL.DROPOUT_RATE " + dropout + " must be in [0, 1)");
        }
        if (sharing.plan().depth() != depth) {
            throw new SpinException("sharing plan " + sharing.plan() + " has " + sharing.plan().depth()
                    + " layers but CONVMIXER.DEPTH is " + depth);
        }
    }

    /** Reads the reference's keys (section {@code CONVMIXER}, plus model and data keys). */
    public static ConvMixerConfig from(SpinConfig cfg) {
        int depth = cfg.getInt("CONVMIXER.DEPTH");
        List<Integer> inChannels = cfg.getIntList("DATA.INPUT_CHANNEL_NUM");
        if (inChannels == null || inChannels.size() != 1) {
            throw new SpinException("DATA.INPUT_CHANNEL_NUM " + inChannels + " must hold one number, e.g. [3]");
        }
        return new ConvMixerConfig(
                cfg.getInt("CONVMIXER.CHANNEL"), depth,
                cfg.getInt("CONVMIXER.PATCH_KERNEL"), cfg.getInt("CONVMIXER.PATCH_STRIDE"),
                cfg.getInt("CONVMIXER.PATCH_PADDING"), cfg.getInt("CONVMIXER.KERNEL"),
                Act.parse(cfg.getString("CONVMIXER.ACT_FUNC")), inChannels.get(0),
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

    private static void positive(String key, int v) {
        if (v < 1) {
            throw new SpinException(key + " " + v + " must be at least 1");
        }
    }
}
