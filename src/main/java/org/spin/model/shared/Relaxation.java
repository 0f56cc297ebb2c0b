package org.spin.model.shared;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.model.layers.Params;
import org.spin.model.layers.Scoped;
import org.spin.onnx.OnnxGraph;

/**
 * Per-layer relaxation of a shared weight W, so layers that share a slot can still differ a little
 * ({@code WEIGHT_SHARE.RELAXATION}):
 * <ul>
 *   <li>{@code dynamic} (SPIN's dynamic transforms): layer l uses a_l ⊙ W + b_l, one scale and one
 *       offset per group of {@code RELAX_GROUP} output channels, starting at a = 1, b = 0;
 *   <li>{@code lora} (Bae et al., "Relaxed Recursive Transformers", 2024): layer l uses
 *       W + B_l·A_l of rank {@code LORA_RANK}, W seen as (out, in·k·k); B_l starts at 0, or, when a
 *       fusion model starts from trained weights, at the truncated SVD of W_l − W_fused.
 * </ul>
 */
public record Relaxation(Kind kind, int group, int rank) {

    public enum Kind { NONE, DYNAMIC, LORA }

    public static final Relaxation NONE = new Relaxation(Kind.NONE, 64, 8);

    /** Key suffixes of a dynamic relaxation's per-channel scale and shift (not weight-decayed). */
    public static final String SCALE_SUFFIX = ".relax_scale";
    public static final String SHIFT_SUFFIX = ".relax_shift";

    public Relaxation {
        if (group < 1) {
            throw new SpinException("WEIGHT_SHARE.RELAX_GROUP " + group + " must be at least 1");
        }
        if (rank < 1) {
            throw new SpinException("WEIGHT_SHARE.LORA_RANK " + rank + " must be at least 1");
        }
    }

    static Relaxation from(SpinConfig cfg, String section) {
        String ws = section + ".WEIGHT_SHARE.";
        String k = cfg.getString(ws + "RELAXATION");
        Kind kind = k == null || k.isBlank() ? Kind.NONE : Kind.valueOf(k.trim().toUpperCase(Locale.ROOT));
        return new Relaxation(kind, cfg.getInt(ws + "RELAX_GROUP"), cfg.getInt(ws + "LORA_RANK"));
    }

    public boolean isOn() {
        return kind != Kind.NONE;
    }

    /**
     * One layer's relaxation parameters for a weight of {@code shape}, named {@code base.relax_scale}
     * and so on. Scales and shifts get no weight decay ({@code SpinModel.noWeightDecay}): decay
     * would pull the scale towards 0, not towards the shared weight.
     */
    Parameter[] parameters(String base, Shape shape, String what) {
        long out = shape.get(0);
        long in = shape.size() / out;
        return switch (kind) {
            case NONE -> new Parameter[0];
            case DYNAMIC -> {
                if (out % group != 0) {
                    throw new SpinException("WEIGHT_SHARE.RELAX_GROUP " + group + " does not divide the " + out
                            + " output channels of " + what + "; use a divisor of " + out);
                }
                yield new Parameter[] {
                    Parameter.builder().setName(base + SCALE_SUFFIX).setType(Parameter.Type.GAMMA)
                            .optShape(new Shape(out / group)).optInitializer(ai.djl.training.initializer.Initializer.ONES)
                            .build(),
                    Params.zeros(base + SHIFT_SUFFIX, Parameter.Type.BETA, out / group)};
            }
            case LORA -> {
                if (rank > Math.min(out, in)) {
                    throw new SpinException("WEIGHT_SHARE.LORA_RANK " + rank + " exceeds the rank of " + what + " ("
                            + out + " x " + in + "); use at most " + Math.min(out, in));
                }
                yield new Parameter[] {
                    Params.normal(base + ".lora_a", (float) (1 / Math.sqrt(in)), rank, in),
                    Params.zeros(base + ".lora_b", Parameter.Type.WEIGHT, out, rank)};
            }
        };
    }

    /**
     * {@link #apply} as ONNX nodes on the shared weight {@code w} (of {@code shape}) and this layer's
     * {@code terms}: the relaxed weight is computed in the graph, so the file stores the factors.
     */
    public String toOnnx(OnnxGraph g, String w, String[] terms, long[] shape) {
        long out = shape[0];
        return switch (kind) {
            case NONE -> w;
            case DYNAMIC -> {
                // (out/G) -> (out/G, G) -> (out, 1, ..., 1): each scale and offset covers G consecutive output channels
                long[] bcast = new long[shape.length];
                Arrays.fill(bcast, 1);
                bcast[0] = out;
                String a = perChannel(g, terms[0], out, bcast);
                String b = perChannel(g, terms[1], out, bcast);
                yield g.add(g.mul(a, w), b);
            }
            case LORA -> g.add(g.reshape(g.matMul(terms[1], terms[0]), shape), w);
        };
    }

    private String perChannel(OnnxGraph g, String groups, long out, long[] bcast) {
        String column = g.reshape(groups, out / group, 1);
        return g.reshape(g.op("Expand", List.of(column, g.ints(out / group, group))), bcast);
    }

    /** The relaxed weight of one layer, built in {@code scope}. */
    NDArray apply(NDManager scope, NDArray w, Parameter[] p) {
        Shape shape = w.getShape();
        long out = shape.get(0);
        return switch (kind) {
            case NONE -> w;
            case DYNAMIC -> {
                // (out/G) -> (out, 1, ..., 1): each scale and offset covers G consecutive output channels
                long[] bcast = new long[shape.dimension()];
                Arrays.fill(bcast, 1);
                bcast[0] = out;
                NDArray a = Scoped.lead(scope, p[0].getArray()).repeat(0, group).reshape(new Shape(bcast));
                NDArray b = Scoped.lead(scope, p[1].getArray()).repeat(0, group).reshape(new Shape(bcast));
                yield a.mul(w).add(b);
            }
            case LORA -> Scoped.lead(scope, p[1].getArray()).matMul(p[0].getArray()).reshape(shape).add(w);
        };
    }
}
