package org.spin.model.convnext;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.spin.model.IsotropicModel;
import org.spin.model.layers.DepthwiseConv;
import org.spin.model.layers.Head;
import org.spin.model.layers.LayerNorms;
import org.spin.model.layers.Mlp;
import org.spin.model.layers.Params;
import org.spin.model.shared.BlockTensors;
import org.spin.model.shared.Scopes;
import org.spin.model.shared.SharedTensor;
import org.spin.model.shared.SharedTensor.Keys;

/**
 * The isotropic ConvNeXt (Liu et al., "A ConvNet for the 2020s", CVPR 2022, arXiv 2201.03545,
 * Section 3.3; facebookresearch/ConvNeXt {@code models/convnext_isotropic.py}) with SPIN's
 * cross-layer sharing (Lin et al., ECCV 2022, arXiv 2207.10237).
 *
 * <p>A P×P stride-P stem (no norm), D blocks of dwconv K×K → LayerNorm → linear C→4C → GELU →
 * linear 4C→C → (layer scale γ) → residual, then global average pool → LayerNorm → head, with the
 * original's state-dict keys. Every per-block tensor is a {@link SharedTensor}, so what is shared
 * is the config's {@code CONVNEXT.WEIGHT_SHARE.SCOPE}.
 */
public final class ConvNeXt extends IsotropicModel {

    /**
     * The original's {@code trunc_normal_(std=.02)} truncates at ±2 (absolute), i.e. at 100σ:
     * a plain normal draws the same distribution.
     */
    static final float INIT_STD = 0.02f;

    /** Stem: a P×P conv, stride P, that turns patches into tokens; the isotropic model has no stem norm. */
    static final class Stem extends AbstractBlock {
        final Parameter weight;
        final Parameter bias;
        private final int patch;

        Stem(ConvNeXtConfig c) {
            patch = c.patchSize();
            weight = addParameter(Params.normal("weight", INIT_STD, c.dim(), c.inChannels(), patch, patch));
            bias = addParameter(Params.zeros("bias", Parameter.Type.BIAS, c.dim()));
        }

        /** (B, Cin, H, W) → (B, C, H/P, W/P). */
        NDArray forward(NDArray x) {
            return Conv2d.conv2d(x, weight.getArray(), bias.getArray(), new Shape(patch, patch), new Shape(0, 0),
                    new Shape(1, 1), 1).singletonOrThrow();
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            return new NDList(forward(in.singletonOrThrow()));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] in) {
            long c = weight.getShape().get(0);
            return new Shape[] {new Shape(in[0].get(0), c, in[0].get(2) / patch, in[0].get(3) / patch)};
        }

        @Override
        public void prepare(Shape[] inputShapes) {}
    }

    /** LayerNorm over the last axis (C), scale and offset held here: the final norm on pooled features. */
    static final class Norm extends AbstractBlock {
        final Parameter weight;
        final Parameter bias;

        Norm(long channels) {
            weight = addParameter(Params.gamma("weight", channels));
            bias = addParameter(Params.zeros("bias", Parameter.Type.BETA, channels));
        }

        NDArray forward(NDArray x) {
            return LayerNorms.lastAxis(x, weight.getArray(), bias.getArray());
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            return new NDList(forward(in.singletonOrThrow()));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] in) {
            return in;
        }

        @Override
        public void prepare(Shape[] inputShapes) {}
    }

    /**
     * One block: x + γ · pwconv2(GELU(pwconv1(LN(dwconv(x))))). It holds nothing: its tensors come
     * from the plan ({@code t[i][layer]}), so a shared slot is one tensor read by several blocks.
     */
    static final class ConvNeXtBlock {
        private final int layer;
        private final boolean layerScale;

        ConvNeXtBlock(ConvNeXtConfig c, int layer) {
            this.layer = layer;
            this.layerScale = c.layerScale();
        }

        /** (B, C, h, w) → (B, C, h, w). */
        NDArray forward(NDArray x, NDArray[][] t, boolean training) {
            int l = layer;
            NDArray y = DepthwiseConv.apply(x, t[DWCONV_W][l], t[DWCONV_B][l], training);
            // (B, C, h, w) -> (B, h, w, C): LN and the 1×1 convs (as linears) act on channels last, as the original
            y = y.transpose(0, 2, 3, 1);
            y = LayerNorms.lastAxis(y, t[NORM_W][l], t[NORM_B][l]);
            y = Mlp.apply(y, t[PWCONV1_W][l], t[PWCONV1_B][l], t[PWCONV2_W][l], t[PWCONV2_B][l]); // via (B, h, w, 4C)
            if (layerScale) {
                y = y.mul(t[GAMMA][l]); // γ (C) broadcasts over the channels-last axis
            }
            return x.add(y.transpose(0, 3, 1, 2)); // (B, h, w, C) -> (B, C, h, w)
        }
    }

    /**
     * What ConvNeXt can share: the depthwise conv, the expansion (pwconv1), the projection
     * (pwconv2 and γ) and the block's LayerNorm. The default, {@code block}, shares all but the
     * norm: the SPIN paper's ConvNeXt-18 count at rate 2 (11.5M) needs the depthwise conv shared.
     */
    public static final Scopes SCOPES = new Scopes("convnext", List.of("depthwise", "expansion", "projection", "norm"),
            Map.of("block", List.of("depthwise", "expansion", "projection")), "depthwise,expansion,projection",
            Set.of("norm"));

    /** Indices into {@link BlockTensors#perLayer}, in the order the constructor adds them; γ last, when present. */
    static final int DWCONV_W = 0, DWCONV_B = 1, NORM_W = 2, NORM_B = 3, PWCONV1_W = 4, PWCONV1_B = 5,
            PWCONV2_W = 6, PWCONV2_B = 7, GAMMA = 8;

    private final ConvNeXtConfig config;
    private final Stem stem;
    private final List<ConvNeXtBlock> blocks = new ArrayList<>();
    private final Norm norm;
    private final Head head;

    public ConvNeXt(ConvNeXtConfig config) {
        super(config.sharing(), config.numClasses());
        this.config = config;
        long c = config.dim();
        long hidden = config.hidden();
        int k = config.kernel();
        stem = addChildBlock("stem", new Stem(config));
        addTensor("dwconv_w", Keys.block("dwconv", "weight"), "depthwise", n -> Params.normal(n, INIT_STD, c, 1, k, k));
        addTensor("dwconv_b", Keys.block("dwconv", "bias"), "depthwise", n -> Params.zeros(n, Parameter.Type.BIAS, c));
        addTensor("norm_w", Keys.block("norm", "weight"), "norm", n -> Params.gamma(n, c));
        addTensor("norm_b", Keys.block("norm", "bias"), "norm", n -> Params.zeros(n, Parameter.Type.BETA, c));
        // 1×1 convs as linears on channels-last tokens, weights (out, in) as nn.Linear's
        addTensor("pwconv1_w", Keys.block("pwconv1", "weight"), "expansion", n -> Params.normal(n, INIT_STD, hidden, c));
        addTensor("pwconv1_b", Keys.block("pwconv1", "bias"), "expansion", n -> Params.zeros(n, Parameter.Type.BIAS, hidden));
        addTensor("pwconv2_w", Keys.block("pwconv2", "weight"), "projection", n -> Params.normal(n, INIT_STD, c, hidden));
        addTensor("pwconv2_b", Keys.block("pwconv2", "bias"), "projection", n -> Params.zeros(n, Parameter.Type.BIAS, c));
        if (config.layerScale()) {
            // γ scales pwconv2's output, so it goes with the projection; typed GAMMA for no weight decay, as the
            // original's optimizer exempts every 1-D tensor
            addTensor("gamma", new Keys("blocks.%d.gamma", "shared.%d.gamma", "blocks.%d.gamma_reduction_w", "blocks.%d.gamma"),
                    "projection", n -> Parameter.builder().setName(n).setType(Parameter.Type.GAMMA).optShape(new Shape(c))
                            .optInitializer(new ConstantInitializer(config.layerScaleInit())).build());
        }
        for (int i = 0; i < config.depth(); i++) {
            blocks.add(new ConvNeXtBlock(config, i));
        }
        norm = addChildBlock("norm", new Norm(c));
        head = addChildBlock("head", new Head("weight", "bias", c, config.numClasses(), INIT_STD));
    }

    public ConvNeXtConfig config() {
        return config;
    }

    /** Stem and every block; each block's (B, C, h, w) output joins {@code outputs} unless null. */
    @Override
    protected NDArray trunk(NDArray x, boolean training, List<NDArray> outputs) {
        NDArray[][] t = tensors.perLayer(x.getManager()); // slots fused and relaxed once per pass
        x = stem.forward(x);
        for (ConvNeXtBlock b : blocks) {
            x = b.forward(x, t, training);
            if (outputs != null) {
                outputs.add(x);
            }
        }
        return x;
    }

    /** (B, C, h, w) → (B, classes): global average pool, LayerNorm, dropout (if any), linear. */
    @Override
    public NDArray forwardHead(NDArray x, boolean training) {
        NDArray pooled = norm.forward(Pool.globalAvgPool2d(x)); // (B, C, h, w) -> (B, C)
        return head.forward(headDropout(pooled, config.dropout(), training));
    }

    /**
     * Every tensor under the original's key, in its order (a block's γ before its convs, as
     * PyTorch lists a module's own parameters first). Shared slots ({@code shared.{s}.*}) appear
     * once, after the stem.
     */
    @Override
    public Map<String, Parameter> stateDict() {
        Map<String, Parameter> sd = new LinkedHashMap<>();
        sd.put("stem.weight", stem.weight);
        sd.put("stem.bias", stem.bias);
        Map<String, Parameter> shared = tensors.stateDict();
        shared.forEach((k, v) -> {
            if (!k.startsWith("blocks.")) {
                sd.put(k, v);
            }
        });
        for (int i = 0; i < config.depth(); i++) {
            String p = "blocks." + i + ".";
            if (shared.containsKey(p + "gamma")) {
                sd.put(p + "gamma", shared.get(p + "gamma"));
            }
            shared.forEach((k, v) -> {
                if (k.startsWith(p)) {
                    sd.put(k, v);
                }
            });
        }
        sd.put("norm.weight", norm.weight);
        sd.put("norm.bias", norm.bias);
        sd.put("head.weight", head.weight);
        sd.put("head.bias", head.bias);
        return sd;
    }
}
