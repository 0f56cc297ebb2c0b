package org.spin.model.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.spin.SpinException;
import org.spin.model.IsotropicModel;
import org.spin.model.layers.Head;
import org.spin.model.layers.LayerNorms;
import org.spin.model.layers.Mlp;
import org.spin.model.layers.Params;
import org.spin.model.layers.Scoped;
import org.spin.model.shared.BlockTensors;
import org.spin.model.shared.Scopes;
import org.spin.model.shared.SharedTensor;
import org.spin.model.shared.SharedTensor.Keys;

/**
 * Vision Transformer ("An Image is Worth 16x16 Words", Dosovitskiy et al., ICLR 2021, arXiv
 * 2010.11929) in the layout and state-dict keys of timm's {@code VisionTransformer}, as DeiT
 * (Touvron et al., ICML 2021, arXiv 2012.12877) trains it: patch embedding, class token, learned
 * position embedding, pre-norm blocks, final LayerNorm, linear head on the class token.
 *
 * <p>SPIN (Lin et al., ECCV 2022, arXiv 2207.10237) shares a ViT's blocks across layers. Every
 * per-block tensor is a {@link SharedTensor}: by default all of a block's linears (attention and
 * MLP) are held once per slot and the LayerNorms once per layer; with one slot this is ALBERT's
 * cross-layer sharing (Lan et al. 2020).
 */
public final class ViT extends IsotropicModel {


    /** Patch embedding: a P×P conv with stride P, then the grid flattened to tokens. */
    static final class PatchEmbed extends AbstractBlock {
        final Parameter weight;
        final Parameter bias;
        private final int patch;

        PatchEmbed(ViTConfig c) {
            patch = c.patchSize();
            // PyTorch's default conv init (timm leaves the patch conv alone): variance 1 / (3 · fan_in)
            float std = (float) Math.sqrt(1.0 / (3.0 * c.inChannels() * patch * patch));
            weight = addParameter(Params.normal("weight", std, c.embedDim(), c.inChannels(), patch, patch));
            bias = addParameter(Params.zeros("bias", Parameter.Type.BIAS, c.embedDim()));
        }

        /** (B, Cin, H, W) → (B, N, C), patches in row-major order. */
        NDArray forward(NDArray x) {
            NDArray y = Conv2d.conv2d(x, weight.getArray(), bias.getArray(), new Shape(patch, patch),
                    new Shape(0, 0), new Shape(1, 1), 1).singletonOrThrow(); // (B, C, H/P, W/P)
            Shape s = y.getShape();
            return y.reshape(s.get(0), s.get(1), -1) // (B, C, N)
                    .transpose(0, 2, 1); // (B, N, C)
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

    private final ViTConfig config;
    /** Patches plus the class token, fixed by the image size the model is built for. */
    private final int tokens;
    private final PatchEmbed patchEmbed;
    private final Parameter clsToken;
    private final Parameter posEmbed;
    /** Indices into {@link BlockTensors#perLayer}, in timm's key order; qkvB is -1 without a qkv bias. */
    private final int norm1W, norm1B, qkvW, qkvB, projW, projB, norm2W, norm2B, fc1W, fc1B, fc2W, fc2B;
    private final Parameter normWeight;
    private final Parameter normBias;
    private final Head head;

    /** @param imageSize side of the square input; sizes the position embedding */
    public ViT(ViTConfig config, int imageSize) {
        super(config.sharing(), config.numClasses());
        this.config = config;
        this.tokens = config.tokens(imageSize);
        long c = config.embedDim();
        long hidden = config.mlpHidden();
        clsToken = addParameter(embedding("cls_token", 1, 1, c));
        posEmbed = addParameter(embedding("pos_embed", 1, tokens, c));
        patchEmbed = addChildBlock("patch_embed", new PatchEmbed(config));
        norm1W = addTensor("norm1_w", Keys.block("norm1", "weight"), "norm", n -> Params.gamma(n, c));
        norm1B = addTensor("norm1_b", Keys.block("norm1", "bias"), "norm", n -> Params.zeros(n, Parameter.Type.BETA, c));
        qkvW = addTensor("qkv_w", Keys.block("attn.qkv", "weight"), "attention", n -> Params.normal(n, 0.02f, 3 * c, c));
        qkvB = config.qkvBias()
                ? addTensor("qkv_b", Keys.block("attn.qkv", "bias"), "attention", n -> Params.zeros(n, Parameter.Type.BIAS, 3 * c))
                : -1;
        projW = addTensor("proj_w", Keys.block("attn.proj", "weight"), "attention", n -> Params.normal(n, 0.02f, c, c));
        projB = addTensor("proj_b", Keys.block("attn.proj", "bias"), "attention", n -> Params.zeros(n, Parameter.Type.BIAS, c));
        norm2W = addTensor("norm2_w", Keys.block("norm2", "weight"), "norm", n -> Params.gamma(n, c));
        norm2B = addTensor("norm2_b", Keys.block("norm2", "bias"), "norm", n -> Params.zeros(n, Parameter.Type.BETA, c));
        fc1W = addTensor("fc1_w", Keys.block("mlp.fc1", "weight"), "mlp", n -> Params.normal(n, 0.02f, hidden, c));
        fc1B = addTensor("fc1_b", Keys.block("mlp.fc1", "bias"), "mlp", n -> Params.zeros(n, Parameter.Type.BIAS, hidden));
        fc2W = addTensor("fc2_w", Keys.block("mlp.fc2", "weight"), "mlp", n -> Params.normal(n, 0.02f, c, hidden));
        fc2B = addTensor("fc2_b", Keys.block("mlp.fc2", "bias"), "mlp", n -> Params.zeros(n, Parameter.Type.BIAS, c));
        normWeight = addParameter(Params.gamma("norm_weight", c));
        normBias = addParameter(Params.zeros("norm_bias", Parameter.Type.BETA, c));
        head = addChildBlock("head", new Head("weight", "bias", c, config.numClasses(), 0.02f));
    }

    /**
     * A learned embedding drawn N(0, 0.02²), typed BETA so the trainer gives it no weight decay, as
     * DeiT's {@code no_weight_decay()} exempts {@code cls_token} and {@code pos_embed}.
     */
    private static Parameter embedding(String name, long... shape) {
        return Parameter.builder().setName(name).setType(Parameter.Type.BETA).optShape(new Shape(shape))
                .optInitializer(new NormalInitializer(0.02f)).build();
    }

    public ViTConfig config() {
        return config;
    }

    /** Block l: x + proj(MHSA(norm1(x))), then x + fc2(GELU(fc1(norm2(x)))). (B, N+1, C) in and out. */
    private NDArray block(NDArray x, NDArray[][] t, int l) {
        NDArray a = Attention.apply(LayerNorms.lastAxis(x, t[norm1W][l], t[norm1B][l]), t[qkvW][l],
                qkvB < 0 ? null : t[qkvB][l], t[projW][l], t[projB][l], config.numHeads());
        x = x.add(a);
        return x.add(Mlp.apply(LayerNorms.lastAxis(x, t[norm2W][l], t[norm2B][l]), t[fc1W][l], t[fc1B][l], t[fc2W][l], t[fc2B][l]));
    }

    /** (B, Cin, H, W) → (B, N+1, C): the normalised tokens, class token first. */
    @Override
    public NDArray forwardFeatures(NDArray x, boolean training) {
        return finalNorm(trunk(x, training, null));
    }

    /** The final LayerNorm on (B, N+1, C) tokens: {@link #forwardFeatures} is this of the last block's output. */
    public NDArray finalNorm(NDArray tokens) {
        return LayerNorms.lastAxis(tokens, normWeight.getArray(), normBias.getArray());
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
        NDArray[][] t = tensors.perLayer(scope); // slots fused and relaxed once per pass
        // led in the step's scope: broadcasting the parameter itself would leave the result in the model's manager
        NDArray cls = Scoped.lead(scope, clsToken.getArray()).broadcast(b, 1, config.embedDim()); // (B, 1, C)
        x = cls.concat(x, 1).add(posEmbed.getArray()); // (B, N+1, C)
        for (int l = 0; l < config.depth(); l++) {
            x = block(x, t, l);
            if (outputs != null) {
                outputs.add(x);
            }
        }
        return x;
    }

    /** (B, N+1, C) → (B, classes): the class token, dropout (if any), linear. */
    @Override
    public NDArray forwardHead(NDArray x, boolean training) {
        NDArray cls = x.get(":, 0"); // (B, N+1, C) -> (B, C)
        return head.forward(headDropout(cls, config.dropout(), training));
    }

    /**
     * Every tensor under timm's key, in its order; shared slots ({@code shared.{s}.*}) come after
     * the embeddings, once each, so this is also what a checkpoint holds.
     */
    @Override
    public Map<String, Parameter> stateDict() {
        Map<String, Parameter> sd = new LinkedHashMap<>();
        Map<String, Parameter> perBlock = tensors.stateDict();
        sd.put("cls_token", clsToken);
        sd.put("pos_embed", posEmbed);
        sd.put("patch_embed.proj.weight", patchEmbed.weight);
        sd.put("patch_embed.proj.bias", patchEmbed.bias);
        perBlock.forEach((k, v) -> {
            if (!k.startsWith("blocks.")) {
                sd.put(k, v);
            }
        });
        for (int l = 0; l < config.depth(); l++) {
            String prefix = "blocks." + l + ".";
            perBlock.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    sd.put(k, v);
                }
            });
        }
        sd.put("norm.weight", normWeight);
        sd.put("norm.bias", normBias);
        sd.put("head.weight", head.weight);
        sd.put("head.bias", head.bias);
        return sd;
    }
}
