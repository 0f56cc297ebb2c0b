package org.spin.model.convnext;

import java.util.List;
import java.util.Map;
import org.spin.config.SpinConfig;
import org.spin.model.Architecture;
import org.spin.model.ModelCost;
import org.spin.model.Preset;
import org.spin.model.RecipePreset;
import org.spin.model.SpinModel;
import org.spin.model.StateDictLayout;
import org.spin.model.shared.Scopes;

/** The isotropic ConvNeXt under {@code MODEL.ARCH convnext}, section {@code CONVNEXT}. */
public final class ConvNeXtArchitecture implements Architecture {

    @Override
    public Scopes scopes() {
        return ConvNeXt.SCOPES;
    }

    @Override
    public SpinModel create(SpinConfig cfg, int imageSize) {
        ConvNeXtConfig c = ConvNeXtConfig.from(cfg);
        c.gridSize(imageSize);
        return new ConvNeXt(c);
    }

    @Override
    public ModelCost cost(SpinConfig cfg, int imageSize) {
        return ConvNeXtCost.of(ConvNeXtConfig.from(cfg), imageSize).toModelCost();
    }

    /**
     * Widths are multiples of 64, so the default relaxation group (64) divides every output
     * dimension. The small presets carry a learning rate: at our default 0.01 a one-epoch
     * one-cycle run of ConvNeXt-iso-64/8 on the synthetic set stayed at chance (2.32 loss), at
     * 0.002 it reached 100% (the paper trains with 4e-3 at batch 4096 and a long warm-up). A
     * config file or override still wins over a preset.
     */
    @Override
    public List<Preset> presets() {
        return List.of(
                preset("convnext_iso_64_8_patch2_28", "ConvNeXt-iso-64/8 P2 K7 for 28-px gray images", false,
                        small(), 64, 8, 2),
                preset("convnext_iso_128_8_patch2_28", "ConvNeXt-iso-128/8 P2 K7 for 28-px gray images", false,
                        small(), 128, 8, 2),
                preset("convnext_iso_small", "ConvNeXt-S/iso (the SPIN paper's ConvNeXt-18) P16 K7 on ImageNet", true,
                        Preset.of(Preset.imagenet(), "CONVNEXT.DROP_PATH_RATE", 0.1), 384, 18, 16)
                        .training(RecipePreset.CONVNEXT_ISO),
                preset("convnext_iso_base", "ConvNeXt-B/iso P16 K7 on ImageNet", true,
                        Preset.of(Preset.imagenet(), "CONVNEXT.DROP_PATH_RATE", 0.2), 768, 18, 16)
                        .training(RecipePreset.CONVNEXT_ISO));
    }

    private static Map<String, Object> small() {
        return Preset.of(Preset.fashionMnist(), "SOLVER.BASE_LR", 0.002);
    }

    private static Preset preset(String name, String description, boolean fullSize, Map<String, Object> data,
                                 int dim, int depth, int patch) {
        return new Preset(name, description, fullSize, Preset.of(data, "MODEL.ARCH", "convnext", "CONVNEXT.DIM", dim,
                "CONVNEXT.DEPTH", depth, "CONVNEXT.PATCH_SIZE", patch, "CONVNEXT.KERNEL", 7, "CONVNEXT.MLP_RATIO", 4,
                "CONVNEXT.LAYER_SCALE_INIT", 0.0));
    }

    /** {@inheritDoc} The rule of facebookresearch/ConvNeXt (timm's): every bias and 1-D tensor exempt. */
    @Override
    public boolean zeroWd1dParam() {
        return true;
    }

    @Override
    public String describe(SpinConfig cfg) {
        ConvNeXtConfig c = ConvNeXtConfig.from(cfg);
        String mlp = c.mlpRatio() == 4 ? "" : " MLP" + c.mlpRatio(); // the paper's ratio goes unsaid
        String ls = c.layerScale() ? " γ" + c.layerScaleInit() : "";
        return String.format("ConvNeXt-iso-%d/%d P%d K%d%s%s", c.dim(), c.depth(), c.patchSize(), c.kernel(), mlp, ls);
    }

    @Override
    public boolean builds(SpinModel model) {
        return model instanceof ConvNeXt;
    }

    /** facebookresearch/ConvNeXt's isotropic model; its {"model": ...} and {"model_ema": ...} files load as they are. */
    @Override
    public StateDictLayout layout() {
        return StateDictLayout.own("facebookresearch/ConvNeXt isotropic",
                "stem.*, blocks.N.{dwconv,norm,pwconv1,pwconv2}.*, blocks.N.gamma, norm.*, head.*", key -> null);
    }
}
