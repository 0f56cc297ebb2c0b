package org.spin.model.convmixer;

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
import ai.djl.util.PairList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.spin.model.IsotropicModel;
import org.spin.model.layers.BatchNorm2d;
import org.spin.model.layers.DepthwiseConv;
import org.spin.model.layers.Head;
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
 * ConvMixer ("Patches Are All You Need?", Trockman & Kolter 2022, arXiv 2201.09792) as SPIN's
 * reference builds it (Lin et al., "SPIN: An Empirical Evaluation on Sharing Parameters of
 * Isotropic Networks", ECCV 2022, arXiv 2207.10237): a patch embedding, D mixer blocks, a pooled
 * linear head. Unlike the original ConvMixer the pointwise branch has a residual, as in the reference;
 * {@code CONVMIXER.POINTWISE_RESIDUAL False} drops it, giving the original block (timm's pretrained weights).
 *
 * <p>The blocks are written as if nothing were shared: a block reads its weights by name. Sharing
 * is one step of the model's constructor: each block weight is a {@link WeightStack} built from
 * the sharing plan ({@link MixerWeights}), and block l reads {@code stack.layer(l)}, the same
 * {@link Weight} as every other layer of its slot (the pointwise weights by default).
 */
public final class ConvMixer extends IsotropicModel<ConvMixer.MixerWeights> {

    /** What ConvMixer can share: {@code both} is pointwise and depthwise; norm shares BatchNorm's scale and offset. */
    public static final Scopes SCOPES = new Scopes("convmixer", Scopes.list("pointwise", "depthwise", "norm"),
            Map.of("both", List.of("pointwise", "depthwise")), "pointwise", Set.of("norm"));

    /** Patch embedding: conv(k=P, stride=P) → act → BN. */
    static final class PatchEmbed extends AbstractBlock {
        final Parameter weight;
        final Parameter bias;
        final BatchNorm2d bn;
        private final ConvMixerConfig c;

        PatchEmbed(ConvMixerConfig c) {
            this.c = c;
            weight = addParameter(Params.convWeight("conv.weight", c.channels(), c.inChannels(), c.patchKernel(), c.patchKernel()));
            bias = addParameter(Params.zeros("conv.bias", Parameter.Type.BIAS, c.channels()));
            bn = addChildBlock("bn", new BatchNorm2d(c.channels()));
        }

        NDArray forward(NDArray x, boolean training) {
            // (B, Cin, H, W) -> (B, C, H/P, W/P)
            NDArray y = Conv2d.conv2d(x, weight.getArray(), bias.getArray(),
                    new Shape(c.patchStride(), c.patchStride()), new Shape(c.patchPadding(), c.patchPadding()),
                    new Shape(1, 1), 1).singletonOrThrow();
            return bn.forward(c.act().apply(y), training);
        }

        String toOnnx(OnnxExport e, String x) {
            OnnxGraph g = e.graph();
            String y = g.conv(x, e.param(weight), e.param(bias), c.patchStride(), c.patchPadding(), 1);
            return e.batchNorm(c.act().toOnnx(g, y), bn, bn.weight().getArray(), bn.bias().getArray());
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            return new NDList(forward(in.singletonOrThrow(), training));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] in) {
            return new Shape[] {outputShape(c, in[0])};
        }

        @Override
        protected void initializeChildBlocks(NDManager m, DataType t, Shape... s) {
            bn.initialize(m, t, s);
        }
    }

    /**
     * Every mixer weight over the D layers, one {@link WeightStack} each, named with the
     * reference's state-dict keys (ConvMixer's rename table). The reference keeps the pointwise
     * weights at model level, keyed by slot ({@code pwise_w.{s}}), and a fusion model's per-layer
     * sources under the same keys, by layer; the rest live under {@code blocks.{l}} per layer and
     * {@code shared.{s}} per slot.
     */
    record MixerWeights(WeightStack dwiseWeight, WeightStack dwiseBias, WeightStack pwiseWeight, WeightStack pwiseBias,
                        WeightStack bn1Weight, WeightStack bn1Bias, WeightStack bn2Weight, WeightStack bn2Bias)
            implements Stacks {

        static MixerWeights of(ConvMixerConfig config) {
            Sharing s = config.sharing();
            long c = config.channels();
            int k = config.kernel();
            return new MixerWeights(
                    new WeightStack(s, "depthwise", Keys.block("dwise_blk.0", "weight"), n -> Params.convWeight(n, c, 1, k, k)),
                    new WeightStack(s, "depthwise", Keys.block("dwise_blk.0", "bias"), n -> Params.zeros(n, Parameter.Type.BIAS, c)),
                    new WeightStack(s, "pointwise", new Keys("pwise_w.%d", "pwise_w.%d", "reduction_w.%d", "blocks.%d.pwise"),
                            n -> Params.convWeight(n, c, c, 1, 1)),
                    new WeightStack(s, "pointwise",
                            new Keys("pwise_b.%d", "pwise_b.%d", "pwise_b_reduction_w.%d", "blocks.%d.pwise_b"),
                            n -> Params.zeros(n, Parameter.Type.BIAS, c)),
                    new WeightStack(s, "norm", Keys.block("dwise_blk.2", "weight"), n -> Params.gamma(n, c)),
                    new WeightStack(s, "norm", Keys.block("dwise_blk.2", "bias"), n -> Params.zeros(n, Parameter.Type.BETA, c)),
                    new WeightStack(s, "norm", Keys.block("bn2", "weight"), n -> Params.gamma(n, c)),
                    new WeightStack(s, "norm", Keys.block("bn2", "bias"), n -> Params.zeros(n, Parameter.Type.BETA, c)));
        }

        /** The pointwise weights first, the reference's default scope (the order families are listed in). */
        @Override
        public List<WeightStack> all() {
            return List.of(pwiseWeight, pwiseBias, dwiseWeight, dwiseBias, bn1Weight, bn1Bias, bn2Weight, bn2Bias);
        }
    }

    /**
     * One mixer layer: x + BN1(act(dwconv(x))), then x + BN2(act(conv1x1(x))), or without that last
     * residual in the original block; (B, C, h, w) → (B, C, h, w).
     */
    static final class MixerBlock extends WeightBlock {
        final Weight dwiseWeight; // (C, 1, K, K)
        final Weight dwiseBias; // (C)
        final Weight pwiseWeight; // (C, C, 1, 1)
        final Weight pwiseBias; // (C)
        final Weight bn1Weight; // (C) each norm's scale and offset
        final Weight bn1Bias;
        final Weight bn2Weight;
        final Weight bn2Bias;
        /** Running statistics: this layer's own even when the norms' scale and offset are shared. */
        final BatchNorm2d bn1;
        final BatchNorm2d bn2;
        private final ConvMixerConfig c;

        /** Layer {@code l} of the stack: the weights it reads are those of its slot, shared by reference. */
        MixerBlock(ConvMixerConfig c, MixerWeights w, int l) {
            this.c = c;
            dwiseWeight = reads(w.dwiseWeight().layer(l));
            dwiseBias = reads(w.dwiseBias().layer(l));
            pwiseWeight = reads(w.pwiseWeight().layer(l));
            pwiseBias = reads(w.pwiseBias().layer(l));
            bn1Weight = reads(w.bn1Weight().layer(l));
            bn1Bias = reads(w.bn1Bias().layer(l));
            bn2Weight = reads(w.bn2Weight().layer(l));
            bn2Bias = reads(w.bn2Bias().layer(l));
            bn1 = addChildBlock("dwise_blk.2", new BatchNorm2d(c.channels(), false)); // the reference's Sequential index
            bn2 = addChildBlock("bn2", new BatchNorm2d(c.channels(), false));
        }

        @Override
        public NDArray forward(NDArray x, Pass pass, boolean training) {
            NDArray y = DepthwiseConv.apply(x, dwiseWeight.in(pass), dwiseBias.in(pass), training);
            x = x.add(bn1.forward(c.act().apply(y), bn1Weight.in(pass), bn1Bias.in(pass), training));
            y = Conv2d.conv2d(x, pwiseWeight.in(pass), pwiseBias.in(pass), new Shape(1, 1), new Shape(0, 0),
                    new Shape(1, 1), 1).singletonOrThrow();
            NDArray mixed = bn2.forward(c.act().apply(y), bn2Weight.in(pass), bn2Bias.in(pass), training);
            return c.pointwiseResidual() ? x.add(mixed) : mixed;
        }

        @Override
        public String toOnnx(OnnxExport e, String x) {
            OnnxGraph g = e.graph();
            String y = g.conv(x, e.weight(dwiseWeight), e.weight(dwiseBias), 1, (c.kernel() - 1) / 2, c.channels());
            x = g.add(x, e.batchNorm(c.act().toOnnx(g, y), bn1, e.value(bn1Weight), e.value(bn1Bias)));
            y = g.conv(x, e.weight(pwiseWeight), e.weight(pwiseBias), 1, 0, 1);
            String mixed = e.batchNorm(c.act().toOnnx(g, y), bn2, e.value(bn2Weight), e.value(bn2Bias));
            return c.pointwiseResidual() ? g.add(x, mixed) : mixed;
        }

        @Override
        protected void initializeChildBlocks(NDManager m, DataType t, Shape... s) {
            bn1.initialize(m, t, s);
            bn2.initialize(m, t, s);
        }
    }

    private final ConvMixerConfig config;
    private final PatchEmbed patchEmbed;
    private final Head head;

    public ConvMixer(ConvMixerConfig config) {
        super(config.sharing(), SCOPES, config.numClasses(), MixerWeights.of(config));
        this.config = config;
        patchEmbed = addChildBlock("patch_embed", new PatchEmbed(config));
        for (int l = 0; l < config.depth(); l++) {
            addLayer(new MixerBlock(config, weights, l));
        }
        head = addChildBlock("head", new Head("fc.weight", "fc.bias", config.channels(), config.numClasses(), 0.01f));
    }

    public ConvMixerConfig config() {
        return config;
    }

    MixerBlock block(int layer) {
        return (MixerBlock) layer(layer);
    }

    /** Patch embedding and every mixer layer; each layer's (B, C, h, w) output joins {@code outputs} unless null. */
    @Override
    protected NDArray trunk(NDArray x, boolean training, List<NDArray> outputs) {
        return layers(patchEmbed.forward(x, training), training, outputs);
    }

    /** (B, C, h, w) → (B, classes): global average pool, dropout (if any), linear. */
    @Override
    public NDArray forwardHead(NDArray x, boolean training) {
        NDArray pooled = Pool.globalAvgPool2d(x); // (B, C, h, w) -> (B, C)
        return head.forward(headDropout(pooled, config.dropout(), training));
    }

    @Override
    protected String embedToOnnx(OnnxExport e, String image) {
        return patchEmbed.toOnnx(e, image);
    }

    @Override
    protected String headToOnnx(OnnxExport e, String x) {
        return e.graph().gemm(e.graph().globalAvgPool(x), e.param(head.weight), e.param(head.bias));
    }

    /** The patch embedding's BatchNorm (the blocks' norms are the norm scope's weights). */
    @Override
    protected Set<String> ownNoWeightDecay() {
        return Set.of("patch_embed.bn.weight", "patch_embed.bn.bias");
    }

    /**
     * Draws the weights in the order a seed has always drawn them (the pointwise stacks, the head,
     * the patch embedding, the other stacks), so a seed gives the same model as before the blocks
     * were real blocks; then the blocks, whose weights are drawn by then, set up their running statistics.
     */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType type, Shape... inputShapes) {
        weights.pwiseWeight().initialize(manager, type);
        weights.pwiseBias().initialize(manager, type);
        head.initialize(manager, type, inputShapes);
        patchEmbed.initialize(manager, type, inputShapes);
        for (WeightStack s : List.of(weights.dwiseWeight(), weights.dwiseBias(), weights.bn1Weight(), weights.bn1Bias(),
                weights.bn2Weight(), weights.bn2Bias())) {
            s.initialize(manager, type);
        }
        Shape grid = outputShape(config, inputShapes[0]);
        initializeLayers(manager, type, grid);
    }

    static Shape outputShape(ConvMixerConfig c, Shape input) {
        long h = (input.get(2) + 2L * c.patchPadding() - c.patchKernel()) / c.patchStride() + 1;
        long w = (input.get(3) + 2L * c.patchPadding() - c.patchKernel()) / c.patchStride() + 1;
        return new Shape(input.get(0), c.channels(), h, w);
    }
}
