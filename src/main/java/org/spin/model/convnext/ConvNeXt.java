package org.spin.model.convnext;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.spin.model.IsotropicModel;
import org.spin.model.layers.DepthwiseConv;
import org.spin.model.layers.DropPath;
import org.spin.model.layers.Head;
import org.spin.model.layers.LayerNorms;
import org.spin.model.layers.Mlp;
import org.spin.model.layers.Norm;
import org.spin.model.layers.Params;
import org.spin.model.shared.Keys;
import org.spin.model.shared.OnnxExport;
import org.spin.model.shared.Pass;
import org.spin.model.shared.Scopes;
import org.spin.model.shared.Sharing;
import org.spin.model.shared.Stacks;
import org.spin.model.shared.Weight;
import org.spin.model.shared.WeightBlock;
import org.spin.model.shared.WeightStack;
import org.spin.onnx.OnnxGraph;

/**
 * The isotropic ConvNeXt (Liu et al., "A ConvNet for the 2020s", CVPR 2022, arXiv 2201.03545,
 * Section 3.3; facebookresearch/ConvNeXt {@code models/convnext_isotropic.py}) with SPIN's
 * cross-layer sharing (Lin et al., ECCV 2022, arXiv 2207.10237).
 *
 * <p>A P×P stride-P stem (no norm), D blocks of dwconv K×K → LayerNorm → linear C→4C → GELU →
 * linear 4C→C → (layer scale γ) → residual, then global average pool → LayerNorm → head, with the
 * original's state-dict keys. The blocks are written as if nothing were shared; every block weight
 * is a {@link WeightStack} from the sharing plan ({@link BlockWeights}), and block l reads
 * {@code stack.layer(l)}, the same {@link Weight} as the other layers of its slot. What is shared
 * is the config's {@code CONVNEXT.WEIGHT_SHARE.SCOPE}.
 */
public final class ConvNeXt extends IsotropicModel<ConvNeXt.BlockWeights> {

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

        String toOnnx(OnnxExport e, String x) {
            return e.graph().conv(x, e.param(weight), e.param(bias), patch, 0, 1);
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

    /**
     * What ConvNeXt can share: the depthwise conv, the expansion (pwconv1), the projection
     * (pwconv2 and γ) and the block's LayerNorm. The default, {@code block}, shares all but the
     * norm: the SPIN paper's ConvNeXt-18 count at rate 2 (11.5M) needs the depthwise conv shared.
     */
    public static final Scopes SCOPES = new Scopes("convnext", List.of("depthwise", "expansion", "projection", "norm"),
            Map.of("block", List.of("depthwise", "expansion", "projection")), "depthwise,expansion,projection",
            Set.of("norm"));

    /**
     * Every block weight over the D layers, one {@link WeightStack} each, under the original's keys
     * ({@code blocks.{l}.pwconv1.weight}; {@code shared.{s}.…} per slot).
     *
     * @param gamma the layer scale γ, or null when the config has none
     */
    record BlockWeights(WeightStack dwconvWeight, WeightStack dwconvBias, WeightStack normWeight, WeightStack normBias,
                        WeightStack pwconv1Weight, WeightStack pwconv1Bias, WeightStack pwconv2Weight,
                        WeightStack pwconv2Bias, WeightStack gamma) implements Stacks {

        static BlockWeights of(ConvNeXtConfig config) {
            Sharing s = config.sharing();
            long c = config.dim();
            long hidden = config.hidden();
            int k = config.kernel();
            return new BlockWeights(
                    new WeightStack(s, "depthwise", Keys.block("dwconv", "weight"), n -> Params.normal(n, INIT_STD, c, 1, k, k)),
                    new WeightStack(s, "depthwise", Keys.block("dwconv", "bias"), n -> Params.zeros(n, Parameter.Type.BIAS, c)),
                    new WeightStack(s, "norm", Keys.block("norm", "weight"), n -> Params.gamma(n, c)),
                    new WeightStack(s, "norm", Keys.block("norm", "bias"), n -> Params.zeros(n, Parameter.Type.BETA, c)),
                    // 1×1 convs as linears on channels-last tokens, weights (out, in) as nn.Linear's
                    new WeightStack(s, "expansion", Keys.block("pwconv1", "weight"), n -> Params.normal(n, INIT_STD, hidden, c)),
                    new WeightStack(s, "expansion", Keys.block("pwconv1", "bias"), n -> Params.zeros(n, Parameter.Type.BIAS, hidden)),
                    new WeightStack(s, "projection", Keys.block("pwconv2", "weight"), n -> Params.normal(n, INIT_STD, c, hidden)),
                    new WeightStack(s, "projection", Keys.block("pwconv2", "bias"), n -> Params.zeros(n, Parameter.Type.BIAS, c)),
                    // γ scales pwconv2's output, so it goes with the projection; no weight decay
                    // (ownNoWeightDecay), as the original's optimizer exempts every 1-D tensor
                    !config.layerScale() ? null : new WeightStack(s, "projection",
                            new Keys("blocks.%d.gamma", "shared.%d.gamma", "blocks.%d.gamma_reduction_w", "blocks.%d.gamma"),
                            n -> Parameter.builder().setName(n).setType(Parameter.Type.GAMMA).optShape(new Shape(c))
                                    .optInitializer(new ConstantInitializer(config.layerScaleInit())).build()));
        }

        /** In the order a seed draws them, γ last; without γ when there is none. */
        @Override
        public List<WeightStack> all() {
            List<WeightStack> out = new ArrayList<>(List.of(dwconvWeight, dwconvBias, normWeight, normBias, pwconv1Weight,
                    pwconv1Bias, pwconv2Weight, pwconv2Bias));
            if (gamma != null) {
                out.add(gamma);
            }
            return out;
        }
    }

    /** One block: x + γ · pwconv2(GELU(pwconv1(LN(dwconv(x))))); (B, C, h, w) → (B, C, h, w). */
    static final class ConvNeXtBlock extends WeightBlock {
        final Weight dwconvWeight; // (C, 1, K, K)
        final Weight dwconvBias; // (C)
        final Weight normWeight; // (C)
        final Weight normBias; // (C)
        final Weight pwconv1Weight; // (4C, C)
        final Weight pwconv1Bias; // (4C)
        final Weight pwconv2Weight; // (C, 4C)
        final Weight pwconv2Bias; // (C)
        final Weight gamma; // (C), or null without layer scale
        private final float dropPath;
        private final int kernel;
        private final long channels;

        /** Layer {@code l} of the stack: the weights it reads are those of its slot, shared by reference. */
        ConvNeXtBlock(ConvNeXtConfig c, BlockWeights w, int l) {
            dropPath = DropPath.rate(c.dropPathRate(), l, c.depth());
            kernel = c.kernel();
            channels = c.dim();
            gamma = reads(w.gamma() == null ? null : w.gamma().layer(l)); // first, as PyTorch lists a module's own tensors
            dwconvWeight = reads(w.dwconvWeight().layer(l));
            dwconvBias = reads(w.dwconvBias().layer(l));
            normWeight = reads(w.normWeight().layer(l));
            normBias = reads(w.normBias().layer(l));
            pwconv1Weight = reads(w.pwconv1Weight().layer(l));
            pwconv1Bias = reads(w.pwconv1Bias().layer(l));
            pwconv2Weight = reads(w.pwconv2Weight().layer(l));
            pwconv2Bias = reads(w.pwconv2Bias().layer(l));
        }

        @Override
        public NDArray forward(NDArray x, Pass pass, boolean training) {
            NDArray y = DepthwiseConv.apply(x, dwconvWeight.in(pass), dwconvBias.in(pass), training);
            // (B, C, h, w) -> (B, h, w, C): LN and the 1×1 convs (as linears) act on channels last, as the original
            y = y.transpose(0, 2, 3, 1);
            y = LayerNorms.lastAxis(y, normWeight.in(pass), normBias.in(pass));
            y = Mlp.apply(y, pwconv1Weight.in(pass), pwconv1Bias.in(pass), pwconv2Weight.in(pass),
                    pwconv2Bias.in(pass)); // via (B, h, w, 4C)
            if (gamma != null) {
                y = y.mul(gamma.in(pass)); // γ (C) broadcasts over the channels-last axis
            }
            // (B, h, w, C) -> (B, C, h, w); in training the branch may be dropped per sample (drop path)
            return x.add(DropPath.apply(y.transpose(0, 3, 1, 2), dropPath, training, pass.random()));
        }

        @Override
        public String toOnnx(OnnxExport e, String x) {
            OnnxGraph g = e.graph();
            String y = g.conv(x, e.weight(dwconvWeight), e.weight(dwconvBias), 1, (kernel - 1) / 2, channels);
            y = g.layerNorm(g.transpose(y, 0, 2, 3, 1), e.weight(normWeight), e.weight(normBias), LayerNorms.EPS);
            y = Mlp.toOnnx(g, y, e.weight(pwconv1Weight), e.weight(pwconv1Bias), e.weight(pwconv2Weight),
                    e.weight(pwconv2Bias));
            if (gamma != null) {
                y = g.mul(y, e.weight(gamma));
            }
            return g.add(x, g.transpose(y, 0, 3, 1, 2));
        }
    }

    private final ConvNeXtConfig config;
    private final Stem stem;
    private final Norm norm;
    private final Head head;

    public ConvNeXt(ConvNeXtConfig config) {
        super(config.sharing(), SCOPES, config.numClasses(), BlockWeights.of(config));
        this.config = config;
        long c = config.dim();
        stem = addChildBlock("stem", new Stem(config));
        for (int l = 0; l < config.depth(); l++) {
            addLayer(new ConvNeXtBlock(config, weights, l));
        }
        norm = addChildBlock("norm", new Norm(c));
        head = addChildBlock("head", new Head("weight", "bias", c, config.numClasses(), INIT_STD));
    }

    public ConvNeXtConfig config() {
        return config;
    }

    ConvNeXtBlock block(int layer) {
        return (ConvNeXtBlock) layer(layer);
    }

    /** Stem and every block; each block's (B, C, h, w) output joins {@code outputs} unless null. */
    @Override
    protected NDArray trunk(NDArray x, boolean training, List<NDArray> outputs) {
        return layers(stem.forward(x), training, outputs);
    }

    /** (B, C, h, w) → (B, classes): global average pool, LayerNorm, dropout (if any), linear. */
    @Override
    public NDArray forwardHead(NDArray x, boolean training) {
        NDArray pooled = norm.forward(Pool.globalAvgPool2d(x)); // (B, C, h, w) -> (B, C)
        return head.forward(headDropout(pooled, config.dropout(), training));
    }

    @Override
    protected String embedToOnnx(OnnxExport e, String image) {
        return stem.toOnnx(e, image);
    }

    @Override
    protected String headToOnnx(OnnxExport e, String x) {
        OnnxGraph g = e.graph();
        String pooled = g.layerNorm(g.globalAvgPool(x), e.param(norm.weight), e.param(norm.bias), LayerNorms.EPS);
        return g.gemm(pooled, e.param(head.weight), e.param(head.bias));
    }

    /** The final norm, and the layer scale γ (the original's optimizer exempts every 1-D tensor). */
    @Override
    protected Set<String> ownNoWeightDecay() {
        Set<String> out = new LinkedHashSet<>(List.of("norm.weight", "norm.bias"));
        if (weights.gamma() != null) {
            out.addAll(weights.gamma().stateDict().keySet());
        }
        return out;
    }

    /**
     * The stem, the block weights, the final norm and the head: the order a seed has always drawn
     * them. The blocks, whose weights are drawn by then, come last.
     */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType type, Shape... inputShapes) {
        stem.initialize(manager, type, inputShapes);
        weights.all().forEach(s -> s.initialize(manager, type));
        norm.initialize(manager, type, inputShapes);
        head.initialize(manager, type, inputShapes);
        Shape grid = stem.getOutputShapes(inputShapes)[0];
        initializeLayers(manager, type, grid);
    }
}
