package org.spin.model.vit;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.spin.config.SpinConfig;
import org.spin.model.Architecture;
import org.spin.model.ModelCost;
import org.spin.model.Preset;
import org.spin.model.RecipePreset;
import org.spin.model.SpinModel;
import org.spin.model.StateDictLayout;
import org.spin.model.shared.Scopes;

/** ViT/DeiT under {@code MODEL.ARCH vit}, section {@code VIT}. */
public final class ViTArchitecture implements Architecture {

    @Override
    public Scopes scopes() {
        return ViT.SCOPES;
    }

    @Override
    public SpinModel create(SpinConfig cfg, int imageSize) {
        return new ViT(ViTConfig.from(cfg), imageSize);
    }

    @Override
    public ModelCost cost(SpinConfig cfg, int imageSize) {
        return ViTCost.of(ViTConfig.from(cfg), imageSize).modelCost();
    }

    /** Widths are multiples of 64, so the default relaxation group divides every linear's outputs. */
    @Override
    public List<Preset> presets() {
        return List.of(
                preset("vit_64_6_patch4_28", "ViT-64/6 P4, 4 heads, MLP 2 for 28-px gray images (VIT's defaults)",
                        false, Preset.fashionMnist(), 64, 6, 4, 2.0, 4),
                preset("vit_128_8_patch4_28", "ViT-128/8 P4, 4 heads, MLP 2 for 28-px gray images", false,
                        Preset.fashionMnist(), 128, 8, 4, 2.0, 4),
                preset("deit_tiny_patch16_224", "DeiT-Ti: ViT-192/12 P16, 3 heads, MLP 4 on ImageNet", true,
                        Preset.imagenet(), 192, 12, 3, 4.0, 16).training(RecipePreset.DEIT),
                preset("deit_small_patch16_224", "DeiT-S: ViT-384/12 P16, 6 heads, MLP 4 on ImageNet", true,
                        Preset.imagenet(), 384, 12, 6, 4.0, 16).training(RecipePreset.DEIT));
    }

    private static Preset preset(String name, String description, boolean fullSize, Map<String, Object> data,
                                 int dim, int depth, int heads, double mlpRatio, int patch) {
        return new Preset(name, description, fullSize, Preset.of(data, "MODEL.ARCH", "vit", "VIT.EMBED_DIM", dim,
                "VIT.DEPTH", depth, "VIT.NUM_HEADS", heads, "VIT.MLP_RATIO", mlpRatio, "VIT.PATCH_SIZE", patch,
                "VIT.QKV_BIAS", true));
    }

    /** {@inheritDoc} As timm and DeiT: every bias and 1-D tensor exempt, with pos_embed and cls_token. */
    @Override
    public boolean zeroWd1dParam() {
        return true;
    }

    @Override
    public String describe(SpinConfig cfg) {
        ViTConfig c = ViTConfig.from(cfg);
        return String.format(Locale.ROOT, "ViT-%d/%d P%d heads %d mlp %.1f", c.embedDim(), c.depth(), c.patchSize(),
                c.numHeads(), c.mlpRatio());
    }

    @Override
    public boolean builds(SpinModel model) {
        return model instanceof ViT;
    }

    /**
     * timm's, which DeiT's releases use too; timm's {@code fc_norm} (an Identity unless the head
     * average-pools) and {@code head_drop} hold no tensors in a DeiT, so its files have exactly our keys.
     */
    @Override
    public StateDictLayout layout() {
        return StateDictLayout.own("timm ViT/DeiT", "cls_token, pos_embed, patch_embed.proj.*,"
                + " blocks.N.{norm1,attn.qkv,attn.proj,norm2,mlp.fc1,mlp.fc2}.*, norm.*, head.*", ViTArchitecture::why);
    }

    /** What a timm ViT may hold that ours does not build. */
    private static String why(String key) {
        if (key.startsWith("fc_norm.")) {
            return "timm's norm for an average-pooled head (global_pool 'avg'); our ViT reads the normalised class token";
        }
        if (key.equals("dist_token") || key.startsWith("head_dist.")) {
            return "a distilled DeiT's distillation token; take the non-distilled weights (deit_*_patch16_224)";
        }
        if (key.matches("blocks\\.\\d+\\.ls[12]\\..*")) {
            return "LayerScale (timm's init_values); our ViT has none";
        }
        return null;
    }
}
