package org.spin.model.convmixer;

import java.util.List;
import org.spin.config.SpinConfig;
import org.spin.model.Architecture;
import org.spin.model.ModelCost.Part;
import org.spin.model.ModelCost;
import org.spin.model.Preset;
import org.spin.model.RecipePreset;
import org.spin.model.SpinModel;
import org.spin.model.StateDictLayout;
import org.spin.model.shared.Scopes;

/** ConvMixer under {@code MODEL.ARCH convmixer}, section {@code CONVMIXER}. */
public final class ConvMixerArchitecture implements Architecture {

    @Override
    public Scopes scopes() {
        return ConvMixer.SCOPES;
    }

    @Override
    public SpinModel create(SpinConfig cfg, int imageSize) {
        ConvMixerConfig c = ConvMixerConfig.from(cfg);
        c.gridSize(imageSize);
        return new ConvMixer(c);
    }

    @Override
    public ModelCost cost(SpinConfig cfg, int imageSize) {
        ConvMixerCost c = ConvMixerCost.of(ConvMixerConfig.from(cfg), imageSize);
        return new ModelCost(c.uniqueParams(), c.unsharedParams(), List.of(new Part("patch embed", c.patchEmbedMacs()),
                new Part("depthwise", c.depthwiseMacs()), new Part("pointwise", c.pointwiseMacs()),
                new Part("head", c.headMacs())));
    }

    @Override
    public List<Preset> presets() {
        return List.of(
                preset("convmixer_64_8", "ConvMixer-64/8 P2 K5 GELU for 28-px gray images (the demo's)", false,
                        Preset.fashionMnist(), 64, 8, 2, 5, "GELU"),
                preset("convmixer_256_8", "ConvMixer-256/8 P2 K5 GELU for 28-px gray images", false,
                        Preset.fashionMnist(), 256, 8, 2, 5, "GELU"),
                preset("convmixer_768_32", "ConvMixer-768/32 P14 K3 ReLU on ImageNet (the reference's)", true,
                        Preset.imagenet(), 768, 32, 14, 3, "RELU").training(RecipePreset.SPIN_CONVMIXER),
                preset("convmixer_1536_20", "ConvMixer-1536/20 P7 K9 GELU on ImageNet", true,
                        Preset.imagenet(), 1536, 20, 7, 9, "GELU").training(RecipePreset.SPIN_CONVMIXER));
    }

    private static Preset preset(String name, String description, boolean fullSize, java.util.Map<String, Object> data,
                                 int channels, int depth, int patch, int kernel, String act) {
        return new Preset(name, description, fullSize, Preset.of(data, "MODEL.ARCH", "convmixer",
                "CONVMIXER.CHANNEL", channels, "CONVMIXER.DEPTH", depth, "CONVMIXER.PATCH_KERNEL", patch,
                "CONVMIXER.PATCH_STRIDE", patch, "CONVMIXER.KERNEL", kernel, "CONVMIXER.ACT_FUNC", act));
    }

    /** {@inheritDoc} The reference's: SlowFast with ZERO_WD_1D_PARAM False exempts only the BatchNorms. */
    @Override
    public boolean zeroWd1dParam() {
        return false;
    }

    @Override
    public String describe(SpinConfig cfg) {
        ConvMixerConfig c = ConvMixerConfig.from(cfg);
        return String.format("ConvMixer-%d/%d P%d K%d %s%s", c.channels(), c.depth(), c.patchKernel(), c.kernel(), c.act(),
                c.pointwiseResidual() ? "" : ", no pointwise residual");
    }

    @Override
    public boolean builds(SpinModel model) {
        return model instanceof ConvMixer;
    }

    @Override
    public StateDictLayout layout() {
        return StateDictLayout.own("SPIN reference ConvMixer",
                "patch_embed.{conv,bn}.*, blocks.N.{dwise_blk.0,dwise_blk.2,bn2}.*, pwise_w.N, pwise_b.N, head.fc.*",
                key -> null);
    }

    /** timm's pretrained ConvMixers; {@code CONVMIXER.POINTWISE_RESIDUAL False} makes the same model. */
    @Override
    public List<StateDictLayout> imports() {
        return List.of(TimmConvMixer.LAYOUT);
    }
}
