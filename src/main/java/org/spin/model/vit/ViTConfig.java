package org.spin.model.vit;

import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.model.ConfigChecks;
import org.spin.model.layers.DropPath;
import org.spin.model.shared.Sharing;
import org.spin.sharing.SharingPlan;

/**
 * The shape of a ViT: token width C ({@code embedDim}), depth D, heads, MLP ratio, patch size P,
 * and the sharing plan that maps each of the D blocks to a slot.
 *
 * @param mlpRatio the MLP's hidden width is {@code (int) (C · mlpRatio)}, as timm truncates it
 * @param qkvBias whether the query/key/value projection has a bias (timm's and DeiT's default)
 * @param dropout applied before the classifier only when positive, as ConvMixer
 * @param dropPathRate stochastic depth of the last block, linearly less down to 0 at the first
 * @param sharing the plan, what it shares (all of a block's linears by default), weight fusion's
 *     reduction and the relaxation
 */
public record ViTConfig(int embedDim, int depth, int numHeads, double mlpRatio, int patchSize, boolean qkvBias,
                        int inChannels, int numClasses, float dropout, float dropPathRate, Sharing sharing) {

    public ViTConfig {
        ConfigChecks.positive("VIT.EMBED_DIM", embedDim);
        ConfigChecks.positive("VIT.DEPTH", depth);
        ConfigChecks.positive("VIT.NUM_HEADS", numHeads);
        ConfigChecks.positive("VIT.PATCH_SIZE", patchSize);
        if (embedDim % numHeads != 0) {
            throw new SpinException("VIT.NUM_HEADS " + numHeads + " does not divide VIT.EMBED_DIM " + embedDim);
        }
        if (!(mlpRatio > 0) || (int) (embedDim * mlpRatio) < 1) {
            throw new SpinException("VIT.MLP_RATIO " + mlpRatio + " gives an MLP of " + (int) (embedDim * mlpRatio)
                    + " hidden units; it must give at least 1 (DeiT uses 4.0)");
        }
        ConfigChecks.common(inChannels, numClasses, dropout, sharing, "VIT.DEPTH", depth);
        DropPath.check("VIT.DROP_PATH_RATE", dropPathRate);
    }

    /** Reads section {@code VIT}, plus model and data keys. */
    public static ViTConfig from(SpinConfig cfg) {
        int depth = cfg.getInt("VIT.DEPTH");
        ConfigChecks.positive("VIT.DEPTH", depth); // before the plan, which would name it less well
        return new ViTConfig(cfg.getInt("VIT.EMBED_DIM"), depth, cfg.getInt("VIT.NUM_HEADS"),
                cfg.getDouble("VIT.MLP_RATIO"), cfg.getInt("VIT.PATCH_SIZE"), cfg.getBool("VIT.QKV_BIAS"),
                ConfigChecks.inChannels(cfg), cfg.getInt("MODEL.NUM_CLASSES"), (float) cfg.getDouble("MODEL.DROPOUT_RATE"),
                (float) cfg.getDouble("VIT.DROP_PATH_RATE"), Sharing.from(cfg, "VIT", depth, ViT.SCOPES));
    }

    public SharingPlan plan() {
        return sharing.plan();
    }

    /** The MLP's hidden width. */
    public int mlpHidden() {
        return (int) (embedDim * mlpRatio);
    }

    /**
     * Side of the patch grid for a square input of side {@code imageSize}: the stride-P conv floors,
     * so a border narrower than a patch is dropped, as in timm with a non-strict image size.
     */
    public int gridSize(int imageSize) {
        int g = imageSize / patchSize;
        if (g < 1) {
            throw new SpinException("input size " + imageSize + " is smaller than VIT.PATCH_SIZE " + patchSize);
        }
        return g;
    }

    /** Tokens the blocks see for that input: the patches plus the class token. */
    public int tokens(int imageSize) {
        int g = gridSize(imageSize);
        return g * g + 1;
    }
}
