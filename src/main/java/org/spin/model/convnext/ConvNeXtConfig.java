package org.spin.model.convnext;

import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.model.ConfigChecks;
import org.spin.model.layers.DropPath;
import org.spin.model.shared.Sharing;
import org.spin.sharing.SharingPlan;

/**
 * The shape of an isotropic ConvNeXt: width C ({@code dim}), depth D, patch size P, depthwise
 * kernel K, the MLP's expansion ratio, and the sharing plan over the D blocks.
 *
 * @param kernel the original hard-codes 7 (padding 3); any odd size keeps the residual's shape
 * @param mlpRatio the inverted bottleneck's width is {@code mlpRatio · dim} (4 in the paper)
 * @param layerScaleInit initial value of each block's layer scale γ; 0 means no γ at all, the
 *     isotropic models' default (the paper found layer scale unnecessary without downsampling)
 * @param dropout applied to the pooled features before the head, only when positive (ours: the
 *     original has none)
 * @param dropPathRate stochastic depth of the last block, linearly less down to 0 at the first
 * @param sharing the plan, what it shares (depthwise and both pointwise convs by default),
 *     weight fusion's reduction and the relaxation
 */
public record ConvNeXtConfig(int dim, int depth, int patchSize, int kernel, int mlpRatio, float layerScaleInit,
                             int inChannels, int numClasses, float dropout, float dropPathRate,
                             Sharing sharing) {

    public ConvNeXtConfig {
        ConfigChecks.positive("CONVNEXT.DIM", dim);
        ConfigChecks.positive("CONVNEXT.DEPTH", depth);
        ConfigChecks.positive("CONVNEXT.PATCH_SIZE", patchSize);
        ConfigChecks.positive("CONVNEXT.KERNEL", kernel);
        ConfigChecks.positive("CONVNEXT.MLP_RATIO", mlpRatio);
        if (kernel % 2 == 0) {
            throw new SpinException("CONVNEXT.KERNEL " + kernel + " is even; the residual needs 'same' padding,"
                    + " so the kernel must be odd (e.g. " + (kernel + 1) + ")");
        }
        if (!(layerScaleInit >= 0) || Float.isInfinite(layerScaleInit)) {
            throw new SpinException("CONVNEXT.LAYER_SCALE_INIT " + layerScaleInit + " must be 0 (off) or a positive number");
        }
        ConfigChecks.common(inChannels, numClasses, dropout, sharing, "CONVNEXT.DEPTH", depth);
        DropPath.check("CONVNEXT.DROP_PATH_RATE", dropPathRate);
    }

    /** Reads section {@code CONVNEXT}, plus the model and data keys. */
    public static ConvNeXtConfig from(SpinConfig cfg) {
        int depth = cfg.getInt("CONVNEXT.DEPTH");
        ConfigChecks.positive("CONVNEXT.DEPTH", depth); // before the plan, whose own error would not name the key
        return new ConvNeXtConfig(cfg.getInt("CONVNEXT.DIM"), depth, cfg.getInt("CONVNEXT.PATCH_SIZE"),
                cfg.getInt("CONVNEXT.KERNEL"), cfg.getInt("CONVNEXT.MLP_RATIO"),
                (float) cfg.getDouble("CONVNEXT.LAYER_SCALE_INIT"), ConfigChecks.inChannels(cfg),
                cfg.getInt("MODEL.NUM_CLASSES"), (float) cfg.getDouble("MODEL.DROPOUT_RATE"),
                (float) cfg.getDouble("CONVNEXT.DROP_PATH_RATE"), Sharing.from(cfg, "CONVNEXT", depth, ConvNeXt.SCOPES));
    }

    public SharingPlan plan() {
        return sharing.plan();
    }

    /** Width of the inverted bottleneck, {@code mlpRatio · dim}. */
    public long hidden() {
        return (long) mlpRatio * dim;
    }

    /** Whether blocks have a layer scale γ. */
    public boolean layerScale() {
        return layerScaleInit > 0;
    }

    /** Side of the token grid for a square input of side {@code imageSize}: the stem is a P×P conv, stride P. */
    public int gridSize(int imageSize) {
        int g = imageSize / patchSize;
        if (g < 1) {
            throw new SpinException("input size " + imageSize + " is smaller than CONVNEXT.PATCH_SIZE " + patchSize);
        }
        return g;
    }
}
