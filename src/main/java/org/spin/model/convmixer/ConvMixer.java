package org.spin.model.convmixer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spin.model.SpinModel;
import org.spin.model.layers.BatchNorm2d;
import org.spin.model.layers.DepthwiseConv;
import org.spin.sharing.SharingPlan;
import org.spin.model.layers.Params;

/**
 * ConvMixer ("Patches Are All You Need?", Trockman & Kolter 2022) as SPIN's reference builds it
 * (Lin et al., "SPIN: An Empirical Evaluation on Sharing Parameters of Isotropic Networks",
 * ECCV 2022, arXiv 2207.10237).
 *
 * <p>The pointwise (1×1) convolutions are held once per slot at model level and layer i uses slot
 * {@code plan.slotOf(i)}; depthwise convolutions and every BatchNorm stay per layer. Unlike the
 * original ConvMixer the pointwise branch has a residual, as in the reference.
 */
public final class ConvMixer extends AbstractBlock implements SpinModel {

    /** Patch embedding: conv(k=P, stride=P) → act → BN. */
    static final class PatchEmbed extends AbstractBlock {
        final Parameter weight;
        final Parameter bias;
        final BatchNorm2d bn;
        private final ConvMixerConfig c;

        PatchEmbed(ConvMixerConfig c) {
            this.c = c;
            weight = addParameter(Params.convWeight("weight", c.channels(), c.inChannels(), c.patchKernel(), c.patchKernel()));
            bias = addParameter(Params.zeros("bias", Parameter.Type.BIAS, c.channels()));
            bn = addChildBlock("bn", new BatchNorm2d(c.channels()));
        }

        NDArray forward(NDArray x, boolean training) {
            // (B, Cin, H, W) -> (B, C, H/P, W/P)
            NDArray y = Conv2d.conv2d(x, weight.getArray(), bias.getArray(),
                    new Shape(c.patchStride(), c.patchStride()), new Shape(c.patchPadding(), c.patchPadding()),
                    new Shape(1, 1), 1).singletonOrThrow();
            return bn.forward(c.act().apply(y), training);
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
        protected void initializeChildBlocks(ai.djl.ndarray.NDManager m, ai.djl.ndarray.types.DataType t, Shape... s) {
            bn.initialize(m, t, s);
        }
    }

    /** One mixer layer: x + BN1(act(dwconv(x))), then x + BN2(act(conv1x1(x; W, b))) with W, b given. */
    static final class MixerLayer extends AbstractBlock {
        final Parameter dwiseWeight;
        final Parameter dwiseBias;
        final BatchNorm2d bn1;
        final BatchNorm2d bn2;
        private final ConvMixerConfig c;

        MixerLayer(ConvMixerConfig c) {
            this.c = c;
            dwiseWeight = addParameter(Params.convWeight("dwise_weight", c.channels(), 1, c.kernel(), c.kernel()));
            dwiseBias = addParameter(Params.zeros("dwise_bias", Parameter.Type.BIAS, c.channels()));
            bn1 = addChildBlock("bn1", new BatchNorm2d(c.channels()));
            bn2 = addChildBlock("bn2", new BatchNorm2d(c.channels()));
        }

        NDArray forward(NDArray x, NDArray pwiseW, NDArray pwiseB, boolean training) {
            NDArray dw = DepthwiseConv.apply(x, dwiseWeight.getArray(), dwiseBias.getArray(), training);
            x = x.add(bn1.forward(c.act().apply(dw), training));
            NDArray pw = Conv2d.conv2d(x, pwiseW, pwiseB, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1)
                    .singletonOrThrow();
            return x.add(bn2.forward(c.act().apply(pw), training));
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            throw new UnsupportedOperationException("a mixer layer needs its slot's pointwise weights; run the model");
        }

        @Override
        public Shape[] getOutputShapes(Shape[] in) {
            return in;
        }

        @Override
        protected void initializeChildBlocks(ai.djl.ndarray.NDManager m, ai.djl.ndarray.types.DataType t, Shape... s) {
            bn1.initialize(m, t, s);
            bn2.initialize(m, t, s);
        }
    }

    private final ConvMixerConfig config;
    private final PatchEmbed patchEmbed;
    private final List<MixerLayer> blocks = new ArrayList<>();
    /** One per slot; in a fusion model one source per layer instead. */
    private final Parameter[] pwiseW;
    private final Parameter[] pwiseB;
    /** A fusion model's per-layer {@code reduction_w}; null without fusion or for unweighted reductions. */
    private final Parameter[] reductionW;
    private final Parameter fcWeight;
    private final Parameter fcBias;

    public ConvMixer(ConvMixerConfig config) {
        this.config = config;
        int n = config.fuses() ? config.depth() : config.plan().numSlots();
        long c = config.channels();
        pwiseW = new Parameter[n];
        pwiseB = new Parameter[n];
        for (int s = 0; s < n; s++) {
            pwiseW[s] = addParameter(Params.convWeight("pwise_w." + s, c, c, 1, 1));
            pwiseB[s] = addParameter(Params.zeros("pwise_b." + s, Parameter.Type.BIAS, c));
        }
        if (config.fuses() && !config.reduction().usesAllSources()) {
            // choose_first reads only each group's first source: the others get no gradient and
            // stay out of the optimizer, so weight decay does not move them either
            for (int l = 0; l < n; l++) {
                int first = config.plan().layersOf(config.plan().slotOf(l))[0];
                pwiseW[l].freeze(l != first);
                pwiseB[l].freeze(l != first);
            }
        }
        Shape rw = config.fuses() ? config.reduction().weightShape(c) : null;
        reductionW = rw == null ? null : new Parameter[config.depth()];
        for (int l = 0; rw != null && l < config.depth(); l++) {
            reductionW[l] = addParameter(Params.ones("reduction_w." + l, rw));
        }
        patchEmbed = addChildBlock("patch_embed", new PatchEmbed(config));
        for (int i = 0; i < config.depth(); i++) {
            blocks.add(addChildBlock("block" + i, new MixerLayer(config)));
        }
        fcWeight = addParameter(Params.normal("fc_weight", 0.01f, config.numClasses(), c));
        fcBias = addParameter(Params.zeros("fc_bias", Parameter.Type.BIAS, config.numClasses()));
    }

    public ConvMixerConfig config() {
        return config;
    }

    @Override
    public SharingPlan plan() {
        return config.plan();
    }

    /** (B, Cin, H, W) → (B, C, h, w), the last mixer layer's output. */
    public NDArray forwardFeatures(NDArray x, boolean training) {
        NDArray[][] slots = slotWeights(x.getManager()); // fused once per forward pass
        x = patchEmbed.forward(x, training);
        for (int i = 0; i < blocks.size(); i++) {
            int slot = config.plan().slotOf(i);
            x = blocks.get(i).forward(x, slots[0][slot], slots[1][slot], training);
        }
        return x;
    }

    /**
     * Each slot's pointwise weight and bias ({@code [0][s]}, {@code [1][s]}): the slot's own
     * parameters, or in a fusion model the reduction of its group's sources, built in
     * {@code scope}. A group is the layers the plan maps to the slot, in layer order, so under
     * strided or random mappings it is not a run of consecutive layers (the reference's
     * fusion always groups consecutive layers).
     */
    public NDArray[][] slotWeights(NDManager scope) {
        int slots = config.plan().numSlots();
        NDArray[][] out = new NDArray[2][slots];
        for (int s = 0; s < slots; s++) {
            if (!config.fuses()) {
                out[0][s] = pwiseW[s].getArray();
                out[1][s] = pwiseB[s].getArray();
                continue;
            }
            List<NDArray> ws = new ArrayList<>();
            List<NDArray> bs = new ArrayList<>();
            List<NDArray> rs = reductionW == null ? null : new ArrayList<>();
            for (int l : config.plan().layersOf(s)) {
                ws.add(pwiseW[l].getArray());
                bs.add(pwiseB[l].getArray());
                if (rs != null) {
                    rs.add(reductionW[l].getArray());
                }
            }
            out[0][s] = config.reduction().weight(scope, ws, rs);
            out[1][s] = config.reduction().bias(scope, bs);
        }
        return out;
    }

    /** (B, C, h, w) → (B, classes): global average pool, dropout (if any), linear. */
    public NDArray forwardHead(NDArray x, boolean training) {
        NDArray pooled = Pool.globalAvgPool2d(x); // (B, C, h, w) -> (B, C)
        if (config.dropout() > 0) {
            pooled = Dropout.dropout(pooled, config.dropout(), training).singletonOrThrow();
        }
        return Linear.linear(pooled, fcWeight.getArray(), fcBias.getArray()).singletonOrThrow();
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        return forwardHead(forwardFeatures(x, training), training);
    }

    /**
     * Every tensor under the reference's state-dict key, in the reference's order. Shared slots
     * appear once, so this is also what a checkpoint holds.
     */
    @Override
    public Map<String, Parameter> stateDict() {
        Map<String, Parameter> sd = new LinkedHashMap<>();
        for (int s = 0; s < pwiseW.length; s++) {
            sd.put("pwise_w." + s, pwiseW[s]);
        }
        for (int s = 0; s < pwiseB.length; s++) {
            sd.put("pwise_b." + s, pwiseB[s]);
        }
        for (int l = 0; reductionW != null && l < reductionW.length; l++) {
            sd.put("reduction_w." + l, reductionW[l]);
        }
        sd.put("patch_embed.conv.weight", patchEmbed.weight);
        sd.put("patch_embed.conv.bias", patchEmbed.bias);
        patchEmbed.bn.stateDict().forEach((k, v) -> sd.put("patch_embed.bn." + k, v));
        for (int i = 0; i < blocks.size(); i++) {
            MixerLayer b = blocks.get(i);
            String p = "blocks." + i + ".";
            sd.put(p + "dwise_blk.0.weight", b.dwiseWeight);
            sd.put(p + "dwise_blk.0.bias", b.dwiseBias);
            b.bn1.stateDict().forEach((k, v) -> sd.put(p + "dwise_blk.2." + k, v));
            b.bn2.stateDict().forEach((k, v) -> sd.put(p + "bn2." + k, v));
        }
        sd.put("head.fc.weight", fcWeight);
        sd.put("head.fc.bias", fcBias);
        return sd;
    }

    /** The BatchNorms by state-dict prefix, for their {@code num_batches_tracked} counters. */
    @Override
    public Map<String, BatchNorm2d> batchNorms() {
        Map<String, BatchNorm2d> m = new LinkedHashMap<>();
        m.put("patch_embed.bn", patchEmbed.bn);
        for (int i = 0; i < blocks.size(); i++) {
            m.put("blocks." + i + ".dwise_blk.2", blocks.get(i).bn1);
            m.put("blocks." + i + ".bn2", blocks.get(i).bn2);
        }
        return m;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
        return new NDList(forward(inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.numClasses())};
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, ai.djl.ndarray.types.DataType type,
                                         Shape... inputShapes) {
        patchEmbed.initialize(manager, type, inputShapes);
        Shape tokens = outputShape(config, inputShapes[0]);
        for (MixerLayer b : blocks) {
            b.initialize(manager, type, tokens);
        }
    }

    static Shape outputShape(ConvMixerConfig c, Shape input) {
        long h = (input.get(2) + 2L * c.patchPadding() - c.patchKernel()) / c.patchStride() + 1;
        long w = (input.get(3) + 2L * c.patchPadding() - c.patchKernel()) / c.patchStride() + 1;
        return new Shape(input.get(0), c.channels(), h, w);
    }

}
