package org.spin.model.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.spin.SpinException;
import org.spin.model.IsotropicModel;
import org.spin.model.layers.DropPath;
import org.spin.model.layers.Head;
import org.spin.model.layers.LayerNorms;
import org.spin.model.layers.Mlp;
import org.spin.model.layers.Norm;
import org.spin.model.layers.Params;
import org.spin.model.layers.Scoped;
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
 * Vision Transformer ("An Image is Worth 16x16 Words", Dosovitskiy et al., ICLR 2021, arXiv
 * 2010.11929) in the layout and state-dict keys of timm's {@code VisionTransformer}, as DeiT
 * (Touvron et al., ICML 2021, arXiv 2012.12877) trains it: patch embedding, class token, learned
 * position embedding, pre-norm blocks, final LayerNorm, linear head on the class token.
 *
 * <p>SPIN (Lin et al., ECCV 2022, arXiv 2207.10237) shares a ViT's blocks across layers. The
 * blocks are written as if nothing were shared; every block weight is a {@link WeightStack} from
 * the sharing plan ({@link BlockWeights}), and block l reads {@code stack.layer(l)}, the same
 * {@link Weight} as the other layers of its slot. By default all of a block's linears (attention
 * and MLP) are held once per slot and the LayerNorms once per layer; with one slot this is
 * ALBERT's cross-layer sharing (Lan et al. 2020).
 */
public final class ViT extends IsotropicModel<ViT.BlockWeights> {


    /** Patch embedding: a P×P conv with stride P, then the grid flattened to tokens. */
    static final class PatchEmbed extends AbstractBlock {
        final Parameter weight;
        final Parameter bias;
        private final int patch;

        PatchEmbed(ViTConfig c) {
            patch = c.patchSize();
            // PyTorch's default conv init (timm leaves the patch conv alone): variance 1 / (3 · fan_in)
            float std = (float) Math.sqrt(1.0 / (3.0 * c.inChannels() * patch * patch));
            weight = addParameter(Params.normal("proj.weight", std, c.embedDim(), c.inChannels(), patch, patch));
            bias = addParameter(Params.zeros("proj.bias", Parameter.Type.BIAS, c.embedDim()));
        }

        /** (B, Cin, H, W) → (B, N, C), patches in row-major order. */
        NDArray forward(NDArray x) {
            NDArray y = Conv2d.conv2d(x, weight.getArray(), bias.getArray(), new Shape(patch, patch),
                    new Shape(0, 0), new Shape(1, 1), 1).singletonOrThrow(); // (B, C, H/P, W/P)
            Shape s = y.getShape();
            return y.reshape(s.get(0), s.get(1), -1) // (B, C, N)
                    .transpose(0, 2, 1); // (B, N, C)
        }

        String toOnnx(OnnxExport e, String x) {
            OnnxGraph g = e.graph();
            String y = g.conv(x, e.param(weight), e.param(bias), patch, 0, 1);
            return g.transpose(g.reshape(y, 0, weight.getShape().get(0), -1), 0, 2, 1);
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            return new NDList(forward(in.singletonOrThrow()));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] in) {
            long g = in[0].get(2) / patch;
            return new Shape[] {new Shape(in[0].get(0), g * g, weight.getShape().get(0))};
        }
    }

    /**
     * What a ViT can share: {@code attention} is the qkv and proj linears (weights and biases),
     * {@code mlp} fc1 and fc2, {@code norm} norm1 and norm2; {@code block} is both linear scopes.
     */
    public static final Scopes SCOPES = new Scopes("vit", List.of("attention", "mlp", "norm"),
            Map.of("block", List.of("attention", "mlp")), "block", Set.of("norm"));

    /**
     * Every block weight over the D layers, one {@link WeightStack} each, under timm's keys
     * ({@code blocks.{l}.attn.qkv.weight}; {@code shared.{s}.…} per slot), in timm's order.
     *
     * @param qkvBias null when the model has no qkv bias
     */
    record BlockWeights(WeightStack norm1Weight, WeightStack norm1Bias, WeightStack qkvWeight, WeightStack qkvBias,
                        WeightStack projWeight, WeightStack projBias, WeightStack norm2Weight, WeightStack norm2Bias,
                        WeightStack fc1Weight, WeightStack fc1Bias, WeightStack fc2Weight, WeightStack fc2Bias)
            implements Stacks {

        static BlockWeights of(ViTConfig config) {
            Sharing s = config.sharing();
            long c = config.embedDim();
            long hidden = config.mlpHidden();
            return new BlockWeights(
                    new WeightStack(s, "norm", Keys.block("norm1", "weight"), n -> Params.gamma(n, c)),
                    new WeightStack(s, "norm", Keys.block("norm1", "bias"), n -> Params.zeros(n, Parameter.Type.BETA, c)),
                    new WeightStack(s, "attention", Keys.block("attn.qkv", "weight"), n -> Params.normal(n, 0.02f, 3 * c, c)),
                    config.qkvBias() ? new WeightStack(s, "attention", Keys.block("attn.qkv", "bias"),
                            n -> Params.zeros(n, Parameter.Type.BIAS, 3 * c)) : null,
                    new WeightStack(s, "attention", Keys.block("attn.proj", "weight"), n -> Params.normal(n, 0.02f, c, c)),
                    new WeightStack(s, "attention", Keys.block("attn.proj", "bias"), n -> Params.zeros(n, Parameter.Type.BIAS, c)),
                    new WeightStack(s, "norm", Keys.block("norm2", "weight"), n -> Params.gamma(n, c)),
                    new WeightStack(s, "norm", Keys.block("norm2", "bias"), n -> Params.zeros(n, Parameter.Type.BETA, c)),
                    new WeightStack(s, "mlp", Keys.block("mlp.fc1", "weight"), n -> Params.normal(n, 0.02f, hidden, c)),
                    new WeightStack(s, "mlp", Keys.block("mlp.fc1", "bias"), n -> Params.zeros(n, Parameter.Type.BIAS, hidden)),
                    new WeightStack(s, "mlp", Keys.block("mlp.fc2", "weight"), n -> Params.normal(n, 0.02f, c, hidden)),
                    new WeightStack(s, "mlp", Keys.block("mlp.fc2", "bias"), n -> Params.zeros(n, Parameter.Type.BIAS, c)));
        }

        /** In timm's order (the order a seed draws them); without the qkv bias when there is none. */
        @Override
        public List<WeightStack> all() {
            List<WeightStack> out = new ArrayList<>(List.of(norm1Weight, norm1Bias, qkvWeight));
            if (qkvBias != null) {
                out.add(qkvBias);
            }
            out.addAll(List.of(projWeight, projBias, norm2Weight, norm2Bias, fc1Weight, fc1Bias, fc2Weight, fc2Bias));
            return out;
        }

        /** Layer l's weight of {@code stack}, or null for a weight the model does not have. */
        private static Weight at(WeightStack stack, int l) {
            return stack == null ? null : stack.layer(l);
        }
    }

    /** One pre-norm block: x + proj(MHSA(norm1(x))), then x + fc2(GELU(fc1(norm2(x)))); (B, N+1, C) in and out. */
    static final class ViTBlock extends WeightBlock {
        final Weight norm1Weight; // (C)
        final Weight norm1Bias; // (C)
        final Weight qkvWeight; // (3C, C)
        final Weight qkvBias; // (3C), or null without a qkv bias
        final Weight projWeight; // (C, C)
        final Weight projBias; // (C)
        final Weight norm2Weight; // (C)
        final Weight norm2Bias; // (C)
        final Weight fc1Weight; // (hidden, C)
        final Weight fc1Bias; // (hidden)
        final Weight fc2Weight; // (C, hidden)
        final Weight fc2Bias; // (C)
        private final int heads;
        private final long channels;
        private final float dropPath;

        /** Layer {@code l} of the stack: the weights it reads are those of its slot, shared by reference. */
        ViTBlock(ViTConfig c, BlockWeights w, int l) {
            heads = c.numHeads();
            channels = c.embedDim();
            dropPath = DropPath.rate(c.dropPathRate(), l, c.depth());
            norm1Weight = reads(w.norm1Weight().layer(l));
            norm1Bias = reads(w.norm1Bias().layer(l));
            qkvWeight = reads(w.qkvWeight().layer(l));
            qkvBias = reads(BlockWeights.at(w.qkvBias(), l));
            projWeight = reads(w.projWeight().layer(l));
            projBias = reads(w.projBias().layer(l));
            norm2Weight = reads(w.norm2Weight().layer(l));
            norm2Bias = reads(w.norm2Bias().layer(l));
            fc1Weight = reads(w.fc1Weight().layer(l));
            fc1Bias = reads(w.fc1Bias().layer(l));
            fc2Weight = reads(w.fc2Weight().layer(l));
            fc2Bias = reads(w.fc2Bias().layer(l));
        }

        /** In training each residual branch may be dropped per sample (drop path); no dropout otherwise. */
        @Override
        public NDArray forward(NDArray x, Pass pass, boolean training) {
            NDArray a = Attention.apply(LayerNorms.lastAxis(x, norm1Weight.in(pass), norm1Bias.in(pass)),
                    qkvWeight.in(pass), qkvBias == null ? null : qkvBias.in(pass), projWeight.in(pass), projBias.in(pass),
                    heads);
            x = x.add(DropPath.apply(a, dropPath, training, pass.random()));
            NDArray h = LayerNorms.lastAxis(x, norm2Weight.in(pass), norm2Bias.in(pass));
            NDArray m = Mlp.apply(h, fc1Weight.in(pass), fc1Bias.in(pass), fc2Weight.in(pass), fc2Bias.in(pass));
            return x.add(DropPath.apply(m, dropPath, training, pass.random()));
        }

        @Override
        public String toOnnx(OnnxExport e, String x) {
            OnnxGraph g = e.graph();
            String a = Attention.toOnnx(g, g.layerNorm(x, e.weight(norm1Weight), e.weight(norm1Bias), LayerNorms.EPS),
                    e.weight(qkvWeight), e.weight(qkvBias), e.weight(projWeight), e.weight(projBias), heads, channels);
            x = g.add(x, a);
            String h = g.layerNorm(x, e.weight(norm2Weight), e.weight(norm2Bias), LayerNorms.EPS);
            return g.add(x, Mlp.toOnnx(g, h, e.weight(fc1Weight), e.weight(fc1Bias), e.weight(fc2Weight),
                    e.weight(fc2Bias)));
        }
    }

    private final ViTConfig config;
    /** Patches plus the class token, fixed by the image size the model is built for. */
    private final int tokens;
    private final PatchEmbed patchEmbed;
    private final Parameter clsToken;
    private final Parameter posEmbed;
    private final Norm norm;
    private final Head head;

    /** @param imageSize side of the square input; sizes the position embedding */
    public ViT(ViTConfig config, int imageSize) {
        super(config.sharing(), SCOPES, config.numClasses(), BlockWeights.of(config));
        this.config = config;
        this.tokens = config.tokens(imageSize);
        long c = config.embedDim();
        clsToken = addParameter(embedding("cls_token", 1, 1, c));
        posEmbed = addParameter(embedding("pos_embed", 1, tokens, c));
        patchEmbed = addChildBlock("patch_embed", new PatchEmbed(config));
        for (int l = 0; l < config.depth(); l++) {
            addLayer(new ViTBlock(config, weights, l));
        }
        norm = addChildBlock("norm", new Norm(c));
        head = addChildBlock("head", new Head("weight", "bias", c, config.numClasses(), 0.02f));
    }

    /**
     * A learned embedding drawn N(0, 0.02²); {@link #ownNoWeightDecay} exempts it from weight decay, as
     * DeiT's {@code no_weight_decay()} exempts {@code cls_token} and {@code pos_embed}. Typed BETA
     * (DJL's type for an offset), which checkpoints have always recorded.
     */
    private static Parameter embedding(String name, long... shape) {
        return Parameter.builder().setName(name).setType(Parameter.Type.BETA).optShape(new Shape(shape))
                .optInitializer(new NormalInitializer(0.02f)).build();
    }

    public ViTConfig config() {
        return config;
    }

    ViTBlock block(int layer) {
        return (ViTBlock) layer(layer);
    }

    /** (B, Cin, H, W) → (B, N+1, C): the normalised tokens, class token first. */
    @Override
    public NDArray forwardFeatures(NDArray x, boolean training) {
        return finalNorm(trunk(x, training, null));
    }

    /** The final LayerNorm on (B, N+1, C) tokens: {@link #forwardFeatures} is this of the last block's output. */
    public NDArray finalNorm(NDArray tokens) {
        return norm.forward(tokens);
    }

    /**
     * Embeddings and every block, (B, Cin, H, W) → (B, N+1, C) before the final norm; each block's
     * tokens join {@code outputs} unless null. No dropout inside blocks, so training mode does not enter.
     */
    @Override
    protected NDArray trunk(NDArray x, boolean training, List<NDArray> outputs) {
        NDManager scope = x.getManager();
        x = patchEmbed.forward(x); // (B, N, C)
        long b = x.getShape().get(0);
        if (x.getShape().get(1) + 1 != tokens) {
            throw new SpinException("the input has " + x.getShape().get(1) + " patches but this ViT was built for "
                    + (tokens - 1) + " (its position embedding is sized by the image size it was built for)");
        }
        // led in the step's scope: broadcasting the parameter itself would leave the result in the model's manager
        NDArray cls = Scoped.lead(scope, clsToken.getArray()).broadcast(b, 1, config.embedDim()); // (B, 1, C)
        x = cls.concat(x, 1).add(posEmbed.getArray()); // (B, N+1, C)
        return layers(x, training, outputs);
    }

    /** The patch tokens with the class token in front, plus the position embedding, as ONNX nodes. */
    @Override
    protected String embedToOnnx(OnnxExport e, String image) {
        OnnxGraph g = e.graph();
        String x = patchEmbed.toOnnx(e, image); // (B, N, C)
        // the class token broadcast to (B, 1, C), B read off the input at run time
        String batch = g.op("Gather", List.of(g.op("Shape", x), g.ints(0)), OnnxGraph.attr("axis", 0L));
        String shape = g.op("Concat", List.of(batch, g.ints(1, config.embedDim())), OnnxGraph.attr("axis", 0L));
        String cls = g.op("Expand", List.of(e.param(clsToken), shape));
        return g.add(g.op("Concat", List.of(cls, x), OnnxGraph.attr("axis", 1L)), e.param(posEmbed));
    }

    /** The final norm, then the class token's logits. */
    @Override
    protected String headToOnnx(OnnxExport e, String x) {
        OnnxGraph g = e.graph();
        String tokens = g.layerNorm(x, e.param(norm.weight), e.param(norm.bias), LayerNorms.EPS);
        return g.gemm(g.index(tokens, 1, 0), e.param(head.weight), e.param(head.bias));
    }

    /** (B, N+1, C) → (B, classes): the class token, dropout (if any), linear. */
    @Override
    public NDArray forwardHead(NDArray x, boolean training) {
        NDArray cls = x.get(":, 0"); // (B, N+1, C) -> (B, C)
        return head.forward(headDropout(cls, config.dropout(), training));
    }

    /** The class token, the position embedding and the final norm, as timm's {@code no_weight_decay}. */
    @Override
    protected Set<String> ownNoWeightDecay() {
        return Set.of("cls_token", "pos_embed", "norm.weight", "norm.bias");
    }

    /**
     * The embeddings and the final norm (this block's own parameters) are drawn first; then the
     * patch embedding, the block weights in timm's order and the head: the order a seed has always
     * drawn them. The blocks, whose weights are drawn by then, come last.
     */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType type, Shape... inputShapes) {
        patchEmbed.initialize(manager, type, inputShapes);
        weights.all().forEach(s -> s.initialize(manager, type));
        norm.initialize(manager, type, inputShapes);
        head.initialize(manager, type, inputShapes);
        Shape tokenShape = new Shape(inputShapes[0].get(0), tokens, config.embedDim());
        initializeLayers(manager, type, tokenShape);
    }
}
