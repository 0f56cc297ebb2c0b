package org.spin.model;

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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spin.config.SpinConfig;
import org.spin.fusion.Fuse;
import org.spin.io.HostTensor;
import org.spin.model.shared.WeightFamily;

/**
 * Every preset of the registry: the small ones run forward and backward under every scope and
 * mapping, with each shared slot's gradient the sum of its layers' in an unshared twin, fuse and
 * export; the full-size ones build and count as their closed form.
 */
class RegistrySweepTest {

    static final List<String> MAPPINGS = List.of("sequential", "strided", "random", "cycle_rev");

    static Stream<Arguments> tinyPresetsScopesMappings() {
        List<Arguments> out = new ArrayList<>();
        for (Preset p : Presets.all()) {
            if (p.fullSize()) {
                continue;
            }
            for (String scope : scopes(p)) {
                for (String mapping : MAPPINGS) {
                    out.add(Arguments.of(p.name(), scope, mapping));
                }
            }
        }
        return out.stream();
    }

    static Stream<Arguments> tinyPresetsScopes() {
        List<Arguments> out = new ArrayList<>();
        for (Preset p : Presets.all()) {
            if (!p.fullSize()) {
                scopes(p).forEach(scope -> out.add(Arguments.of(p.name(), scope)));
            }
        }
        return out.stream();
    }

    private static List<String> scopes(Preset p) {
        var scopes = Models.architecture(p.applyTo(SpinConfig.defaults())).scopes();
        List<String> all = new ArrayList<>(scopes.names());
        all.addAll(scopes.aliases().keySet());
        return all;
    }

    private static SpinConfig shared(String preset, String scope, String mapping) {
        SpinConfig cfg = Presets.get(preset).applyTo(SpinConfig.defaults());
        String ws = Models.weightShare(cfg);
        return cfg.with(ws + "ENABLE", true).with(ws + "SHARE_RATE", 2).with(ws + "SCOPE", scope)
                .with(ws + "SHARING_MAPPING", mapping).with(ws + "SEED", 3);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("tinyPresetsScopesMappings")
    void aSlotsGradientIsTheSumOfItsLayersGradients(String preset, String scope, String mapping) {
        assertThat(slotGradientMismatch(shared(preset, scope, mapping), scope)).isNull();
    }

    /** Null when every shared slot's gradient is the sum of its layers' in the unshared twin, else what differs. */
    private static String slotGradientMismatch(SpinConfig cfg, String scope) {
        int size = 16; // smaller than the presets' 28: sharing is the same at any size, and the sweep is large
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = Models.build(cfg, m, size);
            SpinModel twin = Models.build(cfg.with(Models.weightShare(cfg) + "ENABLE", false), m, size);
            StateDicts.load(twin, expand(model, StateDicts.export(model)), "twin");
            assertThat(ParameterCount.unique(model)).isEqualTo(Models.cost(cfg, size).uniqueParams());
            assertThat(ParameterCount.unique(model)).isLessThan(ParameterCount.unique(twin));
            int channels = cfg.getIntList("DATA.INPUT_CHANNEL_NUM").get(0);
            float[] x = input(2 * channels * size * size);
            Shape shape = new Shape(2, channels, size, size);
            float[] a = backward(model, m, x, shape, cfg.getInt("MODEL.NUM_CLASSES"));
            float[] b = backward(twin, m, x, shape, cfg.getInt("MODEL.NUM_CLASSES"));
            for (int i = 0; i < a.length; i++) {
                assertThat((double) a[i]).as("logit %d", i).isCloseTo(b[i], within(1e-4));
            }
            for (Map.Entry<String, Parameter> e : model.stateDict().entrySet()) {
                if (e.getValue().requiresGradient()) {
                    float[] g = grad(model, e.getKey());
                    double total = 0;
                    for (float v : g) {
                        total += v;
                    }
                    assertThat(Double.isFinite(total)).as("finite gradient of " + e.getKey()).isTrue();
                }
            }
            int checked = 0;
            for (WeightFamily t : model.sharedTensors()) {
                if (!t.plan().isShared()) {
                    continue;
                }
                for (int s = 0; s < t.plan().numSlots(); s++) {
                    float[] got = grad(model, String.format(t.keys().slot(), s));
                    float[] sum = new float[got.length];
                    for (int l : t.plan().layersOf(s)) {
                        float[] g = grad(twin, String.format(t.keys().layer(), l));
                        for (int i = 0; i < sum.length; i++) {
                            sum[i] += g[i];
                        }
                    }
                    // one check per slot, not an assertion per element: AssertJ per element dominated the time
                    for (int i = 0; i < sum.length; i++) {
                        if (Math.abs(got[i] - sum[i]) > 1e-4 + 1e-3 * Math.abs(sum[i])) {
                            return String.format("%s slot %d: element %d is %s, its layers' sum %s", t.keys().slot(), s,
                                    i, got[i], sum[i]);
                        }
                    }
                    checked++;
                }
            }
            assertThat(checked).as("shared tensors under scope " + scope).isPositive();
            return null;
        }
    }

    static Stream<Arguments> tinyPresetsRelaxations() {
        return Presets.all().stream().filter(p -> !p.fullSize())
                .flatMap(p -> Stream.of(Arguments.of(p.name(), "dynamic"), Arguments.of(p.name(), "lora")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("tinyPresetsScopes")
    void aFusionModelExportsToACompactModelWithTheSameLogits(String preset, String scope) {
        assertExportKeepsLogits(preset, scope, "none");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("tinyPresetsRelaxations")
    void relaxationsCountAndSurviveTheExport(String preset, String relaxation) {
        assertExportKeepsLogits(preset, "", relaxation);
    }

    private static void assertExportKeepsLogits(String preset, String scope, String relaxation) {
        SpinConfig cfg = shared(preset, scope, "strided");
        cfg = cfg.with(Models.weightShare(cfg) + "REDUCTION_FN", "channel_weighted_mean")
                .with(Models.weightShare(cfg) + "RELAXATION", relaxation);
        int size = Presets.get(preset).imageSize();
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel fusion = Models.build(cfg, m, size);
            assertThat(fusion.freshKeys().stream().anyMatch(k -> k.contains(".relax_") || k.contains(".lora_")))
                    .as("relaxation parameters").isEqualTo(!relaxation.equals("none"));
            // reduction weights and relaxations away from their initial ones, so a wrong formula would show
            for (String k : fusion.freshKeys()) {
                NDArray w = fusion.stateDict().get(k).getArray();
                w.set(new ai.djl.ndarray.index.NDIndex("..."), m.randomUniform(0.5f, 1.5f, w.getShape()));
            }
            Map<String, HostTensor> compact = Fuse.compactStateDict(fusion, m);
            SpinConfig compactCfg = Fuse.compactConfig(cfg, fusion);
            SpinModel exported = Models.build(compactCfg, m, size);
            StateDicts.load(exported, compact, "compact");
            assertThat(ParameterCount.unique(exported)).isEqualTo(Models.cost(compactCfg, size).uniqueParams())
                    .isLessThan(ParameterCount.unique(fusion));
            int channels = cfg.getIntList("DATA.INPUT_CHANNEL_NUM").get(0);
            try (NDManager s = m.newSubManager()) {
                NDArray x = s.randomNormal(new Shape(2, channels, size, size));
                float[] a = fusion.forward(x, false).toFloatArray();
                float[] b = exported.forward(x, false).toFloatArray();
                for (int i = 0; i < a.length; i++) {
                    assertThat((double) b[i]).isCloseTo(a[i], within(1e-4));
                }
            }
        }
    }

    @Test
    void fullSizePresetsBuildWithTheirClosedFormCounts() {
        for (Preset p : Presets.all()) {
            if (!p.fullSize()) {
                continue;
            }
            for (int rate : new int[] {1, 2}) {
                SpinConfig cfg = p.applyTo(SpinConfig.defaults());
                String ws = Models.weightShare(cfg);
                cfg = cfg.with(ws + "ENABLE", rate > 1).with(ws + "SHARE_RATE", rate);
                try (NDManager m = NDManager.newBaseManager()) {
                    SpinModel model = Models.build(cfg, m, p.imageSize());
                    assertThat(ParameterCount.unique(model)).as(p.name() + " rate " + rate)
                            .isEqualTo(Models.cost(cfg, p.imageSize()).uniqueParams());
                }
            }
        }
    }

    @Test
    void sharingANormScopeWarnsAndOtherScopesDoNot() {
        SpinConfig cfg = shared("convmixer_64_8", "norm", "sequential");
        assertThat(Models.warning(cfg)).hasValueSatisfying(w -> assertThat(w).contains("BatchNorm sharing"));
        assertThat(Models.warning(shared("convmixer_64_8", "both", "sequential"))).isEmpty();
        assertThat(Models.warning(cfg.with("CONVMIXER.WEIGHT_SHARE.ENABLE", false))).isEmpty();
    }

    /** The unshared twin's state dict: every shared tensor's slot copied to each of its layers. */
    static Map<String, HostTensor> expand(SpinModel model, Map<String, HostTensor> sd) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        List<String> sharedKeys = new ArrayList<>();
        for (WeightFamily t : model.sharedTensors()) {
            if (t.plan().isShared()) {
                sharedKeys.addAll(t.stateDict().keySet());
            }
        }
        sd.forEach((k, v) -> {
            if (!sharedKeys.contains(k)) {
                out.put(k, v);
            }
        });
        for (WeightFamily t : model.sharedTensors()) {
            for (int l = 0; t.plan().isShared() && l < t.plan().depth(); l++) {
                out.put(String.format(t.keys().layer(), l), sd.get(String.format(t.keys().slot(), t.plan().slotOf(l))));
            }
        }
        return out;
    }

    private static float[] backward(SpinModel model, NDManager m, float[] x, Shape shape, int classes) {
        try (NDManager s = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logits = model.forward(s.create(x, shape), true);
            assertThat(logits.getShape()).isEqualTo(new Shape(shape.get(0), classes));
            NDArray weights = s.arange((float) (shape.get(0) * classes)).reshape(shape.get(0), classes).sin();
            NDArray loss = logits.mul(weights).sum();
            assertThat(Float.isFinite(loss.getFloat())).isTrue();
            gc.backward(loss);
            return logits.toFloatArray();
        }
    }

    private static float[] grad(SpinModel model, String key) {
        try (NDArray g = model.stateDict().get(key).getArray().getGradient()) {
            return g.toFloatArray();
        }
    }

    private static float[] input(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.sin(0.37 * i);
        }
        return x;
    }
}
