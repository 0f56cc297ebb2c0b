package org.spin.model.convnext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.spin.config.SpinConfig;
import org.spin.io.HostTensor;
import org.spin.model.Models;
import org.spin.model.SpinModel;
import org.spin.model.StateDicts;

/**
 * Every scope at rates 1 and 2: the model runs forward and backward, every trainable tensor gets a
 * gradient, and a shared slot's gradient is the sum of its layers' in the unshared twin.
 */
class ConvNeXtSharingGradientTest {

    private static final int SIZE = 8;
    private static final int BATCH = 2;
    private static final Pattern LAYER_KEY = Pattern.compile("blocks\\.(\\d+)\\.(.+)");
    private static final Pattern SLOT_KEY = Pattern.compile("shared\\.(\\d+)\\.(.+)");

    /** Width 8, depth 4, 4×4 tokens, K3, with layer scale so γ is there to share. */
    private static SpinConfig base() {
        return TinyConvNeXt.config(8, 4, 2, 3).with("CONVNEXT.LAYER_SCALE_INIT", 0.1);
    }

    @TestFactory
    Stream<DynamicTest> everyScopeAndRateTrainsAndASlotCollectsItsLayersGradients() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String scope : TinyConvNeXt.SCOPES) {
            for (int rate : new int[] {1, 2}) {
                SpinConfig cfg = TinyConvNeXt.shared(base(), rate, scope);
                tests.add(DynamicTest.dynamicTest(scope + " rate " + rate, () -> checkAgainstTwin(cfg)));
            }
        }
        SpinConfig relaxed = TinyConvNeXt.shared(base().with("CONVNEXT.DIM", 16), 2, "block")
                .with("CONVNEXT.WEIGHT_SHARE.RELAXATION", "dynamic").with("CONVNEXT.WEIGHT_SHARE.RELAX_GROUP", 8);
        tests.add(DynamicTest.dynamicTest("block rate 2, dynamic relaxation", () -> {
            try (NDManager m = NDManager.newBaseManager()) {
                SpinModel model = Models.build(relaxed, m, SIZE);
                backward(model, m);
                assertEveryTrainableTensorHasAGradient(model);
                assertThat(model.stateDict()).containsKey("blocks.3.pwconv1.relax_scale");
            }
        }));
        return tests.stream();
    }

    private static void checkAgainstTwin(SpinConfig cfg) {
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel shared = Models.build(cfg, m, SIZE);
            SpinModel twin = Models.build(base(), m, SIZE);
            int[] plan = shared.plan().toArray();
            StateDicts.load(twin, expand(StateDicts.export(shared), twin, plan), "twin");
            float[] logits = backward(shared, m);
            backward(twin, m);
            assertThat(logits).hasSize(BATCH * 5);
            assertEveryTrainableTensorHasAGradient(shared);
            int slotKeys = 0;
            for (String key : shared.stateDict().keySet()) {
                float[] got = grad(shared, key);
                float[] want = new float[got.length];
                Matcher slot = SLOT_KEY.matcher(key);
                if (slot.matches()) {
                    slotKeys++;
                    for (int l : shared.plan().layersOf(Integer.parseInt(slot.group(1)))) {
                        add(want, grad(twin, "blocks." + l + "." + slot.group(2)));
                    }
                } else {
                    add(want, grad(twin, key));
                }
                for (int i = 0; i < got.length; i++) {
                    assertThat((double) got[i]).as("%s[%d]", key, i).isCloseTo(want[i], within(1e-5 + 1e-4 * Math.abs(want[i])));
                }
            }
            boolean sharesSomething = shared.plan().isShared();
            assertThat(slotKeys > 0).as("slot keys").isEqualTo(sharesSomething);
        }
    }

    /** The unshared twin's state dict: layer l's tensor of a shared scope is a copy of slot plan[l]'s. */
    private static Map<String, HostTensor> expand(Map<String, HostTensor> shared, SpinModel twin, int[] plan) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (String key : twin.stateDict().keySet()) {
            Matcher layer = LAYER_KEY.matcher(key);
            String slotKey = layer.matches() ? "shared." + plan[Integer.parseInt(layer.group(1))] + "." + layer.group(2) : key;
            out.put(key, shared.containsKey(key) ? shared.get(key) : shared.get(slotKey));
        }
        return out;
    }

    /** Backward of sum(logits · sin(i)), so every logit matters; returns the logits. */
    private static float[] backward(SpinModel model, NDManager m) {
        try (NDManager s = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray x = s.create(TinyConvNeXt.input(BATCH * 3 * SIZE * SIZE), new Shape(BATCH, 3, SIZE, SIZE));
            NDArray logits = model.forward(x, true);
            assertThat(logits.getShape()).isEqualTo(new Shape(BATCH, 5));
            NDArray loss = logits.mul(s.arange((float) BATCH * 5).reshape(BATCH, 5).sin()).sum();
            assertThat(Float.isFinite(loss.getFloat())).as("finite loss").isTrue();
            gc.backward(loss);
            return logits.toFloatArray();
        }
    }

    private static void assertEveryTrainableTensorHasAGradient(SpinModel model) {
        for (Map.Entry<String, Parameter> e : model.stateDict().entrySet()) {
            if (e.getValue().requiresGradient()) {
                double norm = 0;
                for (float v : grad(model, e.getKey())) {
                    assertThat(Float.isFinite(v)).as("finite gradient of %s", e.getKey()).isTrue();
                    norm += v * v;
                }
                assertThat(norm).as("gradient of %s", e.getKey()).isGreaterThan(0);
            }
        }
    }

    private static float[] grad(SpinModel model, String key) {
        try (NDArray g = model.stateDict().get(key).getArray().getGradient()) {
            return g.toFloatArray();
        }
    }

    private static void add(float[] sum, float[] g) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += g[i];
        }
    }
}
