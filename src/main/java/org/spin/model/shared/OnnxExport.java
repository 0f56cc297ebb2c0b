package org.spin.model.shared;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.IdentityHashMap;
import java.util.Map;
import org.spin.model.layers.BatchNorm2d;
import org.spin.onnx.OnnxGraph;

/**
 * A model being written as an ONNX graph: the graph, and how the model's tensors become its
 * initializers. A parameter becomes one initializer, named by its state-dict key, however many
 * layers read it: a shared slot is stored once. A fused slot ({@link Weight.Fused}) is reduced
 * here, once, and stored as the slot's weight, as {@code spin fuse} would store it. A relaxed
 * layer's weight is computed in the graph from the shared weight and its own terms
 * ({@link Relaxation#toOnnx}), so the terms, not a full weight per layer, are what the file holds.
 */
public final class OnnxExport {

    private final OnnxGraph graph;
    private final Pass pass;
    private final Map<Parameter, String> keys = new IdentityHashMap<>();

    /**
     * @param stateDict the model's tensors by state-dict key (the names the initializers take)
     * @param scope owns the fused weights computed on the way; closed by the caller
     */
    public OnnxExport(OnnxGraph graph, Map<String, Parameter> stateDict, NDManager scope) {
        this.graph = graph;
        this.pass = new Pass(scope);
        stateDict.forEach((k, p) -> keys.put(p, k));
    }

    public OnnxGraph graph() {
        return graph;
    }

    /** The initializer of parameter {@code p}, stored on first use. */
    public String param(Parameter p) {
        NDArray a = p.getArray();
        return graph.weight(p, keys.getOrDefault(p, p.getName()), a::toFloatArray, a.getShape().getShape());
    }

    /**
     * Eval-mode BatchNorm of {@code bn} on {@code x} (B, C, h, w) with scale and offset {@code gamma},
     * {@code beta} (C), folded into one per-channel scale γ/√(var+ε) and shift β − mean·scale: two
     * vectors per layer instead of the running statistics (two per layer) beside γ and β, so a
     * BatchNorm model's file stays at its unique parameters' size when the norms are not shared (and
     * below what the statistics would add when they are).
     */
    public String batchNorm(String x, BatchNorm2d bn, NDArray gamma, NDArray beta) {
        float[] g = gamma.toFloatArray();
        float[] b = beta.toFloatArray();
        float[] mean = bn.runningMean().getArray().toFloatArray();
        float[] var = bn.runningVar().getArray().toFloatArray();
        float[] scale = new float[g.length];
        float[] shift = new float[g.length];
        for (int c = 0; c < g.length; c++) {
            scale[c] = (float) (g[c] / Math.sqrt(var[c] + (double) BatchNorm2d.EPS));
            shift[c] = b[c] - mean[c] * scale[c];
        }
        String key = keys.getOrDefault(bn.runningMean(), "bn.running_mean").replace(".running_mean", "");
        String s = graph.weight(bn.runningMean(), key + ".folded_scale", () -> scale, g.length, 1, 1);
        String t = graph.weight(bn.runningVar(), key + ".folded_shift", () -> shift, g.length, 1, 1);
        return graph.add(graph.mul(x, s), t);
    }

    /** The value a layer reads for {@code w} (its slot's, reduced or relaxed as the forward pass computes it). */
    public NDArray value(Weight w) {
        return w.in(pass);
    }

    /** The value a layer reads for {@code w}, or null for a weight the config leaves out (a missing bias). */
    public String weight(Weight w) {
        if (w == null) {
            return null;
        }
        if (w instanceof Weight.Plain plain) {
            return param(plain.parameter());
        }
        if (w instanceof Weight.Fused fused) {
            NDArray v = fused.in(pass); // the slot's weight, computed once for all its layers
            return graph.weight(fused, keys.getOrDefault(fused.sources().get(0), "fused") + ".fused", v::toFloatArray,
                    v.getShape().getShape());
        }
        Weight.Relaxed r = (Weight.Relaxed) w;
        String shared = weight(r.shared());
        String[] terms = r.terms().stream().map(this::param).toArray(String[]::new);
        return r.relaxation().toOnnx(graph, shared, terms, r.shared().in(pass).getShape().getShape());
    }
}
