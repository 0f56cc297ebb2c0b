package org.spin.model.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.spin.SpinException;
import org.spin.model.shared.Reduction;
import org.spin.model.layers.Params;
import org.spin.sharing.SharingPlan;

/** Per-layer relaxation of a shared weight, checked against host arithmetic and finite differences. */
class RelaxationTest {

    private static final long OUT = 6;
    private static final long IN = 4;

    private static WeightStack tensor(Relaxation r, Reduction reduction, NDManager m, DataType type) {
        Sharing sharing = new Sharing(SharingPlan.parse("0,0,1,1"), Set.of("w"), reduction, r);
        WeightStack t = new WeightStack(sharing, "w", Keys.block("w", "weight"), n -> Params.normal(n, 1f, OUT, IN));
        Engine.getInstance().setRandomSeed(7);
        t.initialize(m, type);
        return t;
    }

    private static void fill(Parameter p, double seed) {
        long n = p.getArray().size();
        double[] v = new double[(int) n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.sin(seed + 0.7 * i) + 0.1 * seed;
        }
        NDArray a = p.getArray();
        a.set(new NDIndex("..."), a.getManager().create(v, a.getShape()).toType(a.getDataType(), false));
    }

    @Test
    void dynamicTransformsScaleAndShiftEachGroupOfOutputChannels() {
        try (NDManager m = NDManager.newBaseManager()) {
            WeightStack t = tensor(new Relaxation(Relaxation.Kind.DYNAMIC, 2, 1), null, m, DataType.FLOAT32);
            assertThat(t.stateDict()).containsKeys("shared.0.w.weight", "blocks.3.w.relax_scale", "blocks.3.w.relax_shift");
            NDArray[] start = t.perLayer(m);
            float[] slot1 = t.stateDict().get("shared.1.w.weight").getArray().toFloatArray();
            assertThat(start[3].toFloatArray()).containsExactly(slot1); // a = 1, b = 0 at first
            fill(t.stateDict().get("blocks.3.w.relax_scale"), 1);
            fill(t.stateDict().get("blocks.3.w.relax_shift"), 2);
            float[] a = t.stateDict().get("blocks.3.w.relax_scale").getArray().toFloatArray();
            float[] b = t.stateDict().get("blocks.3.w.relax_shift").getArray().toFloatArray();
            float[] got = t.perLayer(m)[3].toFloatArray();
            for (int o = 0; o < OUT; o++) {
                for (int i = 0; i < IN; i++) {
                    int k = (int) (o * IN + i);
                    assertThat(got[k]).isCloseTo(a[o / 2] * slot1[k] + b[o / 2], within(1e-6f));
                }
            }
            assertThat(t.perLayer(m)[2].toFloatArray()).containsExactly(slot1); // layer 2 keeps its own (1, 0)
        }
    }

    @Test
    void loraAddsALowRankTermPerLayer() {
        try (NDManager m = NDManager.newBaseManager()) {
            WeightStack t = tensor(new Relaxation(Relaxation.Kind.LORA, 64, 2), null, m, DataType.FLOAT32);
            float[] slot0 = t.stateDict().get("shared.0.w.weight").getArray().toFloatArray();
            assertThat(t.perLayer(m)[1].toFloatArray()).containsExactly(slot0); // B = 0 at first
            fill(t.stateDict().get("blocks.1.w.lora_b"), 3);
            float[] a = t.stateDict().get("blocks.1.w.lora_a").getArray().toFloatArray(); // (2, IN)
            float[] b = t.stateDict().get("blocks.1.w.lora_b").getArray().toFloatArray(); // (OUT, 2)
            float[] got = t.perLayer(m)[1].toFloatArray();
            for (int o = 0; o < OUT; o++) {
                for (int i = 0; i < IN; i++) {
                    double ba = b[o * 2] * a[i] + b[o * 2 + 1] * a[(int) IN + i];
                    assertThat((double) got[(int) (o * IN + i)]).isCloseTo(slot0[(int) (o * IN + i)] + ba, within(1e-5));
                }
            }
        }
    }

    /** Fusion and relaxation together: sources, reduction weights and relaxation parameters all get exact gradients. */
    @Test
    void relaxationAndFusionGradientsMatchFiniteDifferences() {
        for (Reduction reduction : new Reduction[] {Reduction.SCALAR_WEIGHTED_MEAN, Reduction.CHANNEL_WEIGHTED_MEAN}) {
            for (Relaxation r : new Relaxation[] {new Relaxation(Relaxation.Kind.DYNAMIC, 3, 1),
                    new Relaxation(Relaxation.Kind.LORA, 64, 2)}) {
                checkGradients(reduction, r);
            }
        }
    }

    private static void checkGradients(Reduction reduction, Relaxation r) {
        try (NDManager m = NDManager.newBaseManager()) {
            WeightStack t = tensor(r, reduction, m, DataType.FLOAT64);
            t.stateDict().forEach((k, p) -> fill(p, k.hashCode() % 7));
            NDArray probe = m.create(new Shape(OUT, IN)).toType(DataType.FLOAT64, false);
            probe.set(new NDIndex("..."), m.arange(0, (int) (OUT * IN)).toType(DataType.FLOAT64, false)
                    .reshape(OUT, IN).cos());
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(loss(t, m, probe));
            }
            for (String key : t.stateDict().keySet()) {
                NDArray p = t.stateDict().get(key).getArray();
                if (!p.hasGradient()) {
                    continue;
                }
                double[] g = p.getGradient().toDoubleArray();
                for (int i = 0; i < Math.min(3, g.length); i++) {
                    double h = 1e-6;
                    double[] v = p.toDoubleArray();
                    double orig = v[i];
                    double up = at(t, m, probe, p, i, orig + h);
                    double down = at(t, m, probe, p, i, orig - h);
                    at(t, m, probe, p, i, orig);
                    assertThat(g[i]).as("%s %s %s[%d]", reduction, r.kind(), key, i).isCloseTo((up - down) / (2 * h), within(1e-6));
                }
            }
        }
    }

    /** Σ_l (l + 1)·⟨W_l, probe⟩²: nonlinear, and every layer counts differently. */
    private static NDArray loss(WeightStack t, NDManager m, NDArray probe) {
        NDArray[] w = t.perLayer(m);
        NDArray sum = m.zeros(new Shape(), DataType.FLOAT64);
        for (int l = 0; l < w.length; l++) {
            NDArray d = probe.mul(w[l]).sum();
            sum = sum.add(d.mul(d).mul(l + 1));
        }
        return sum;
    }

    private static double at(WeightStack t, NDManager m, NDArray probe, NDArray p, int i, double value) {
        double[] v = p.toDoubleArray();
        v[i] = value;
        p.set(new NDIndex("..."), m.create(v, p.getShape()));
        try (NDManager s = m.newSubManager()) {
            return loss(t, s, probe.duplicate()).getDouble();
        }
    }

    @Test
    void loraFromTrainedSourcesStartsAtTheirDifferenceFromTheFusedWeight() {
        try (NDManager m = NDManager.newBaseManager()) {
            // full rank: every layer's relaxed weight is its own source again
            WeightStack full = tensor(new Relaxation(Relaxation.Kind.LORA, 64, (int) IN), Reduction.MEAN, m, DataType.FLOAT32);
            full.initLoraFromSources(m);
            NDArray[] got = full.perLayer(m);
            for (int l = 0; l < 4; l++) {
                float[] source = full.stateDict().get("blocks." + l + ".w.weight").getArray().toFloatArray();
                float[] w = got[l].toFloatArray();
                for (int i = 0; i < w.length; i++) {
                    assertThat(w[i]).as("layer %d [%d]", l, i).isCloseTo(source[i], within(1e-4f));
                }
            }
        }
    }

    @Test
    void aGroupThatDoesNotDivideTheOutputChannelsIsRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> tensor(new Relaxation(Relaxation.Kind.DYNAMIC, 4, 1), null, m, DataType.FLOAT32))
                    .isInstanceOf(SpinException.class)
                    .hasMessage("WEIGHT_SHARE.RELAX_GROUP 4 does not divide the 6 output channels of blocks.0.w.weight"
                            + " (6, 4); use a divisor of 6");
            assertThatThrownBy(() -> tensor(new Relaxation(Relaxation.Kind.LORA, 64, 5), null, m, DataType.FLOAT32))
                    .isInstanceOf(SpinException.class).hasMessageContaining("LORA_RANK 5 exceeds the rank");
        }
    }
}
