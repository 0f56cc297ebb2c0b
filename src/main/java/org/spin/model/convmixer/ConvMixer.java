package org.spin.model.convmixer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.spin.model.IsotropicModel;
import org.spin.model.layers.BatchNorm2d;
import org.spin.model.layers.DepthwiseConv;
import org.spin.model.layers.Head;
import org.spin.model.layers.Params;
import org.spin.model.shared.BlockTensors;
import org.spin.model.shared.Scopes;
import org.spin.model.shared.SharedTensor;
import org.spin.model.shared.SharedTensor.Keys;

/**
 * ConvMixer ("Patches Are All You Need?", Trockman & Kolter 2022) as SPIN's reference builds it
 * (Lin et al., "SPIN: An Empirical Evaluation on Sharing Parameters of Isotropic Networks",
 * ECCV 2022, arXiv 2207.10237).
 *
 * <p>Every per-layer tensor is a {@link SharedTensor}: held once per slot when its scope is shared
 * (the pointwise convolutions by default, as the reference) and once per layer otherwise. Unlike
 * the original ConvMixer the pointwise branch has a residual, as in the reference.
 */
public final class ConvMixer extends IsotropicModel {

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
        protected void initializeChildBlocks(NDManager m, ai.djl.ndarray.types.DataType t, Shape... s) {
            bn.initialize(m, t, s);
        }
    }

    /**
     * One mixer layer: x + BN1(act(dwconv(x))), then x + BN2(act(conv1x1(x))). Its tensors come
     * from the plan ({@code t[i][layer]}); it holds only its BatchNorms' running statistics.
     */
    static final class MixerLayer extends AbstractBlock {
        final BatchNorm2d bn1;
        final BatchNorm2d bn2;
        private final ConvMixerConfig c;
        private final int layer;

        MixerLayer(ConvMixerConfig c, int layer) {
            this.c = c;
            this.layer = layer;
            bn1 = addChildBlock("bn1", new BatchNorm2d(c.channels(), false));
            bn2 = addChildBlock("bn2", new BatchNorm2d(c.channels(), false));
        }

        NDArray forward(NDArray x, NDArray[][] t, boolean training) {
            int l = layer;
            NDArray dw = DepthwiseConv.apply(x, t[DWISE_W][l], t[DWISE_B][l], training);
            x = x.add(bn1.forward(c.act().apply(dw), t[BN1_W][l], t[BN1_B][l], training));
            NDArray pw = Conv2d.conv2d(x, t[PWISE_W][l], t[PWISE_B][l], new Shape(1, 1), new Shape(0, 0),
                    new Shape(1, 1), 1).singletonOrThrow();
            return x.add(bn2.forward(c.act().apply(pw), t[BN2_W][l], t[BN2_B][l], training));
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            throw new UnsupportedOperationException("a mixer layer needs its tensors from the plan; run the model");
        }

        @Override
        public Shape[] getOutputShapes(Shape[] in) {
            return in;
        }

        @Override
        protected void initializeChildBlocks(NDManager m, ai.djl.ndarray.types.DataType t, Shape... s) {
            bn1.initialize(m, t, s);
            bn2.initialize(m, t, s);
        }
    }

    /** What ConvMixer can share: {@code both} is pointwise and depthwise; norm shares BatchNorm's scale and offset. */
    public static final Scopes SCOPES = new Scopes("convmixer", Scopes.list("pointwise", "depthwise", "norm"),
            Map.of("both", List.of("pointwise", "depthwise")), "pointwise", Set.of("norm"));

    /** Indices into {@link BlockTensors#perLayer}, in the order the constructor adds them. */
    static final int PWISE_W = 0, PWISE_B = 1, DWISE_W = 2, DWISE_B = 3, BN1_W = 4, BN1_B = 5, BN2_W = 6, BN2_B = 7;

    private final ConvMixerConfig config;
    private final PatchEmbed patchEmbed;
    private final List<MixerLayer> blocks = new ArrayList<>();
    private final Head head;

    public ConvMixer(ConvMixerConfig config) {
        super(config.sharing(), config.numClasses());
        this.config = config;
        long c = config.channels();
        // The reference keeps the pointwise tensors at model level, keyed by slot (pwise_w.{s}),
        // and a fusion model's per-layer sources under the same keys, by layer.
        addTensor("pwise_w", new Keys("pwise_w.%d", "pwise_w.%d", "reduction_w.%d", "blocks.%d.pwise"), "pointwise",
                n -> Params.convWeight(n, c, c, 1, 1));
        addTensor("pwise_b", new Keys("pwise_b.%d", "pwise_b.%d", "pwise_b_reduction_w.%d", "blocks.%d.pwise_b"), "pointwise",
                n -> Params.zeros(n, Parameter.Type.BIAS, c));
        head = addChildBlock("head", new Head("fc_weight", "fc_bias", c, config.numClasses(), 0.01f));
        patchEmbed = addChildBlock("patch_embed", new PatchEmbed(config));
        addTensor("dwise_w", Keys.block("dwise_blk.0", "weight"), "depthwise",
                n -> Params.convWeight(n, c, 1, config.kernel(), config.kernel()));
        addTensor("dwise_b", Keys.block("dwise_blk.0", "bias"), "depthwise", n -> Params.zeros(n, Parameter.Type.BIAS, c));
        addTensor("bn1_w", Keys.block("dwise_blk.2", "weight"), "norm", n -> Params.gamma(n, c));
        addTensor("bn1_b", Keys.block("dwise_blk.2", "bias"), "norm", n -> Params.zeros(n, Parameter.Type.BETA, c));
        addTensor("bn2_w", Keys.block("bn2", "weight"), "norm", n -> Params.gamma(n, c));
        addTensor("bn2_b", Keys.block("bn2", "bias"), "norm", n -> Params.zeros(n, Parameter.Type.BETA, c));
        for (int i = 0; i < config.depth(); i++) {
            blocks.add(addChildBlock("block" + i, new MixerLayer(config, i)));
        }
    }

    public ConvMixerConfig config() {
        return config;
    }

    /** Patch embedding and every mixer layer; each layer's (B, C, h, w) output joins {@code outputs} unless null. */
    @Override
    protected NDArray trunk(NDArray x, boolean training, List<NDArray> outputs) {
        NDArray[][] t = tensors.perLayer(x.getManager()); // slots fused and relaxed once per pass
        x = patchEmbed.forward(x, training);
        for (MixerLayer b : blocks) {
            x = b.forward(x, t, training);
            if (outputs != null) {
                outputs.add(x);
            }
        }
        return x;
    }

    /** (B, C, h, w) → (B, classes): global average pool, dropout (if any), linear. */
    @Override
    public NDArray forwardHead(NDArray x, boolean training) {
        NDArray pooled = Pool.globalAvgPool2d(x); // (B, C, h, w) -> (B, C)
        return head.forward(headDropout(pooled, config.dropout(), training));
    }

    /**
     * Every tensor under the reference's state-dict key. Shared slots appear once, so this is
     * also what a checkpoint holds.
     */
    @Override
    public Map<String, Parameter> stateDict() {
        Map<String, Parameter> sd = new LinkedHashMap<>();
        Map<String, Parameter> shared = tensors.stateDict();
        shared.forEach((k, v) -> {
            if (!k.startsWith("blocks.")) { // pwise_*, reduction_w.*, shared.*: model level, as the reference
                sd.put(k, v);
            }
        });
        sd.put("patch_embed.conv.weight", patchEmbed.weight);
        sd.put("patch_embed.conv.bias", patchEmbed.bias);
        patchEmbed.bn.stateDict().forEach((k, v) -> sd.put("patch_embed.bn." + k, v));
        for (int i = 0; i < blocks.size(); i++) {
            String p = "blocks." + i + ".";
            shared.forEach((k, v) -> {
                if (k.startsWith(p)) {
                    sd.put(k, v);
                }
            });
            MixerLayer b = blocks.get(i);
            b.bn1.stateDict().forEach((k, v) -> sd.put(p + "dwise_blk.2." + k, v));
            b.bn2.stateDict().forEach((k, v) -> sd.put(p + "bn2." + k, v));
        }
        sd.put("head.fc.weight", head.weight);
        sd.put("head.fc.bias", head.bias);
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
    protected void initializeChildBlocks(NDManager manager, ai.djl.ndarray.types.DataType type,
                                         Shape... inputShapes) {
        // Children in the order they were added: the pointwise tensors, the head, the patch
        // embedding, then the per-layer tensors; so a seed draws the same weights as before sharing
        // scopes existed.
        for (ai.djl.util.Pair<String, ai.djl.nn.Block> child : getChildren()) {
            if (child.getValue() instanceof MixerLayer b) {
                b.initialize(manager, type, outputShape(config, inputShapes[0]));
            } else {
                child.getValue().initialize(manager, type, inputShapes);
            }
        }
    }

    static Shape outputShape(ConvMixerConfig c, Shape input) {
        long h = (input.get(2) + 2L * c.patchPadding() - c.patchKernel()) / c.patchStride() + 1;
        long w = (input.get(3) + 2L * c.patchPadding() - c.patchKernel()) / c.patchStride() + 1;
        return new Shape(input.get(0), c.channels(), h, w);
    }

}
