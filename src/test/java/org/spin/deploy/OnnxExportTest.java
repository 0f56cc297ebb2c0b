package org.spin.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.model.Models;
import org.spin.model.ParameterCount;
import org.spin.model.Preset;
import org.spin.model.Presets;
import org.spin.model.SpinModel;
import org.spin.onnx.proto.OnnxModel.ModelProto;
import org.spin.onnx.proto.OnnxModel.TensorProto;

/**
 * ONNX export, checked by running the file in ONNX Runtime: for every small preset and scope, and
 * for fusion and relaxation models, the exported graph's logits equal our model's; each shared
 * slot is one initializer; the file is the compact model's size.
 */
class OnnxExportTest {

    /** Debian's interpreter, where apt installs python3-onnx (a pyenv python3 may come first on PATH). */
    static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    static Stream<Arguments> smallPresetsAndScopes() {
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of("convmixer_64_8", "timm_block")); // CONVMIXER.POINTWISE_RESIDUAL False
        for (Preset p : Presets.all()) {
            if (p.fullSize()) {
                continue;
            }
            out.add(Arguments.of(p.name(), "unshared"));
            var scopes = Models.architecture(p.applyTo(SpinConfig.defaults())).scopes();
            scopes.names().forEach(s -> out.add(Arguments.of(p.name(), s)));
            scopes.aliases().keySet().forEach(s -> out.add(Arguments.of(p.name(), s)));
        }
        return out.stream();
    }

    static SpinConfig config(String preset, String scope) {
        SpinConfig cfg = Presets.get(preset).applyTo(SpinConfig.defaults());
        if (scope.equals("unshared")) {
            return cfg;
        }
        if (scope.equals("timm_block")) {
            return cfg.with("CONVMIXER.POINTWISE_RESIDUAL", false);
        }
        String ws = Models.weightShare(cfg);
        return cfg.with(ws + "ENABLE", true).with(ws + "SHARE_RATE", 2).with(ws + "SCOPE", scope)
                .with(ws + "SHARING_MAPPING", "strided");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("smallPresetsAndScopes")
    void onnxRuntimeGivesOurLogitsAndEachSharedSlotIsStoredOnce(String preset, String scope) throws Exception {
        SpinConfig cfg = config(preset, scope);
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = randomised(Models.build(cfg, m, 28), 1);
            Path file = dir.resolve("model.onnx");
            OnnxExporter.Written w = OnnxExporter.write(model, cfg, classes(cfg), file);

            assertSameLogits(model, file, m, 3);
            assertStoredOnce(model, read(file), w);
            long stored = w.weightBytes();
            assertThat(w.uniqueParams()).isEqualTo(ParameterCount.unique(model));
            // the rest of the file is the graph: small next to the weights
            assertThat(w.fileBytes()).isEqualTo(Files.size(file)).isLessThan(stored + 120_000);
        }
    }

    @Test
    void atRateTwoTheFileIsAboutHalfTheUnsharedModel() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            SpinConfig unsharedCfg = config("convmixer_256_8", "unshared");
            SpinConfig sharedCfg = config("convmixer_256_8", "both");
            long unshared = OnnxExporter.write(Models.build(unsharedCfg, m, 28), unsharedCfg, classes(unsharedCfg),
                    dir.resolve("u.onnx")).fileBytes();
            OnnxExporter.Written shared = OnnxExporter.write(Models.build(sharedCfg, m, 28), sharedCfg,
                    classes(sharedCfg), dir.resolve("s.onnx"));
            double ratio = (double) shared.fileBytes() / unshared;
            assertThat(ratio).isBetween(0.45, 0.56);
            // within 2% of the unique parameters' bytes plus the graph
            double params = shared.uniqueParams() * 4.0;
            assertThat((shared.weightBytes() - params) / params).isBetween(0.0, 0.02);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fusions")
    void aFusionModelIsWrittenAsItsFusedSlots(String preset, String reduction) throws Exception {
        SpinConfig cfg = config(preset, defaultScope(preset));
        String ws = Models.weightShare(cfg);
        cfg = cfg.with(ws + "REDUCTION_FN", reduction);
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = randomised(Models.build(cfg, m, 28), 2);
            Path file = dir.resolve("fusion.onnx");
            OnnxExporter.Written w = OnnxExporter.write(model, cfg, classes(cfg), file);
            assertSameLogits(model, file, m, 2);
            // the file is the compact model: the plain shared model's parameters, not the sources
            SpinConfig plain = config(preset, defaultScope(preset));
            assertThat(w.uniqueParams()).isEqualTo(ParameterCount.unique(Models.build(plain, m, 28)));
            List<String> fused = weightInitializers(read(file)).stream().filter(n -> n.endsWith(".fused")).toList();
            // one per slot of every fused block weight (the BatchNorms' scale and offset are folded instead)
            int slots = model.sharedTensors().stream().filter(f -> f.fuses() && !isBatchNorm(model, f.scope()))
                    .mapToInt(f -> f.plan().numSlots()).sum();
            assertThat(fused).hasSize(slots);
        }
    }

    static Stream<Arguments> fusions() {
        return Stream.of(Arguments.of("convmixer_64_8", "channel_weighted_mean"),
                Arguments.of("vit_64_6_patch4_28", "scalar_weighted_mean"),
                Arguments.of("convnext_iso_64_8_patch2_28", "mean"), Arguments.of("convmixer_64_8", "choose_first"));
    }

    private static String defaultScope(String preset) {
        return Models.architecture(Presets.get(preset).applyTo(SpinConfig.defaults())).scopes().defaultValue();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("relaxations")
    void aRelaxedLayerIsComputedInTheGraphFromItsTerms(String preset, String relaxation) throws Exception {
        SpinConfig cfg = config(preset, defaultScope(preset));
        String ws = Models.weightShare(cfg);
        cfg = cfg.with(ws + "RELAXATION", relaxation).with(ws + "RELAX_GROUP", 16).with(ws + "LORA_RANK", 4);
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = randomised(Models.build(cfg, m, 28), 3);
            Path file = dir.resolve("relaxed.onnx");
            OnnxExporter.Written w = OnnxExporter.write(model, cfg, classes(cfg), file);
            assertSameLogits(model, file, m, 2);
            // the shared weights once and each layer's terms: no full weight per layer
            assertStoredOnce(model, read(file), w);
        }
    }

    static Stream<Arguments> relaxations() {
        List<Arguments> out = new ArrayList<>();
        for (String p : List.of("convmixer_64_8", "vit_64_6_patch4_28", "convnext_iso_64_8_patch2_28")) {
            out.add(Arguments.of(p, "dynamic"));
            out.add(Arguments.of(p, "lora"));
        }
        return out.stream();
    }

    @Test
    void theMetadataCarriesThePreprocessingAndClasses() throws Exception {
        SpinConfig cfg = config("convmixer_64_8", "pointwise");
        try (NDManager m = NDManager.newBaseManager()) {
            Path file = dir.resolve("meta.onnx");
            OnnxExporter.write(Models.build(cfg, m, 28), cfg, classes(cfg), file);
            Map<String, String> meta = read(file).getMetadataPropsList().stream()
                    .collect(Collectors.toMap(e -> e.getKey(), e -> e.getValue()));
            assertThat(meta.get(OnnxExporter.PREPROCESSING)).contains("\"size\":28").contains("\"mean\":[")
                    .contains("(pixel / 255 - mean[c]) / std[c]");
            assertThat(OnnxExporter.classes(meta.get(OnnxExporter.CLASSES))).isEqualTo(classes(cfg));
            assertThat(SpinConfig.fromJson(meta.get(OnnxExporter.CONFIG)).toJson()).isEqualTo(cfg.toJson());
            ModelProto proto = read(file);
            assertThat(proto.getOpsetImport(0).getVersion()).isEqualTo(17);
            assertThat(proto.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam())
                    .isEqualTo("batch");
            try (OnnxClassifier c = OnnxClassifier.open(file, 1)) {
                assertThat(c.classes()).isEqualTo(classes(cfg));
                assertThat(c.input().size()).isEqualTo(28);
            }
        }
    }

    @Test
    void aFileThatIsNotAnOnnxModelIsRefusedInOneLine() throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.onnx"), "not a model");
        assertThatThrownBy(() -> OnnxClassifier.open(junk, 1)).isInstanceOf(SpinException.class)
                .hasMessageStartingWith(junk + ": ONNX Runtime cannot load it").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> OnnxClassifier.open(dir.resolve("missing.onnx"), 1)).isInstanceOf(SpinException.class)
                .hasMessageContaining("no such file");
        assertThatThrownBy(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                SpinConfig cfg = config("convmixer_64_8", "unshared");
                OnnxExporter.write(Models.build(cfg, m, 28), cfg, classes(cfg), dir);
            }
        }).isInstanceOf(SpinException.class).hasMessageContaining("is a directory");
    }

    @Test
    void anOnnxFileThatIsNotOneOfOursIsRefusedInOneLine() throws IOException {
        Path foreign = dir.resolve("foreign.onnx");
        writeIdentity(foreign, "image", Map.of());
        assertThatThrownBy(() -> OnnxClassifier.open(foreign, 1)).isInstanceOf(SpinException.class)
                .hasMessage(foreign + ": an ONNX model without spin's metadata ('spin.config', 'classes'); expected a"
                        + " file written by spin export");
        Path otherInput = dir.resolve("input.onnx");
        writeIdentity(otherInput, "pixels", Map.of());
        assertThatThrownBy(() -> OnnxClassifier.open(otherInput, 1)).isInstanceOf(SpinException.class)
                .hasMessageStartingWith(otherInput + ": its input is [pixels]; expected one 'image'");
        Path badClasses = dir.resolve("classes.onnx");
        writeIdentity(badClasses, "image", Map.of(OnnxExporter.CONFIG, config("convmixer_64_8", "unshared").toJson(),
                OnnxExporter.CLASSES, "{not a list"));
        assertThatThrownBy(() -> OnnxClassifier.open(badClasses, 1)).isInstanceOf(SpinException.class)
                .hasMessage(badClasses + ": metadata 'classes' is not a JSON list of names");
        assertThatThrownBy(() -> OnnxClassifier.open(dir, 1)).isInstanceOf(SpinException.class)
                .hasMessageContaining("is a directory");
    }

    /** A graph that passes a (batch, 1, 28, 28) input through, with the given metadata. */
    private static void writeIdentity(Path file, String input, Map<String, String> metadata) throws IOException {
        org.spin.onnx.OnnxGraph g = new org.spin.onnx.OnnxGraph("identity");
        String x = g.input(input, -1, 1, 28, 28);
        g.output(x, "logits", -1, 1, 28, 28);
        Files.write(file, g.model("test", "", metadata).toByteArray());
    }

    /** Debian's onnx package (1.12) checks the files in full, shape inference included. */
    @Test
    void onnxsOwnCheckerAcceptsTheFiles() throws Exception {
        assumeTrue(pythonOnnx(), PYTHON + " has no onnx package (Debian: apt-get install python3-onnx)");
        List<Path> files = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            for (String[] c : new String[][] {{"convmixer_64_8", "both"}, {"vit_64_6_patch4_28", "block"},
                    {"convnext_iso_64_8_patch2_28", "block"}}) {
                SpinConfig cfg = config(c[0], c[1]);
                String ws = Models.weightShare(cfg);
                cfg = cfg.with(ws + "RELAXATION", "lora").with(ws + "LORA_RANK", 2);
                Path f = dir.resolve(c[0] + ".onnx");
                OnnxExporter.write(Models.build(cfg, m, 28), cfg, classes(cfg), f);
                files.add(f);
            }
        }
        List<String> cmd = new ArrayList<>(List.of(PYTHON, "-c", "import sys, onnx\nfor f in sys.argv[1:]:\n"
                + "    onnx.checker.check_model(onnx.load(f), full_check=True)\nprint('ok', len(sys.argv) - 1)"));
        files.forEach(f -> cmd.add(f.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes());
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(out.strip()).isEqualTo("ok 3");
        assertThat(p.exitValue()).isZero();
    }

    // ---- helpers ------------------------------------------------------------------------------

    static boolean pythonOnnx() {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import onnx").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static List<String> classes(SpinConfig cfg) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < cfg.getInt("MODEL.NUM_CLASSES"); i++) {
            out.add("class " + i);
        }
        return out;
    }

    /**
     * Every tensor moved off its initial value, so that no layer's weights, reduction weights,
     * relaxation terms, norms or running statistics sit at a uniform value (ones, zeros), where
     * mistakes hide: each value gets noise of a tenth of its tensor's spread (or 0.1 for a constant
     * tensor), which keeps the activations, and so the logits, at a trained model's scale.
     */
    static SpinModel randomised(SpinModel model, long seed) {
        Random r = new Random(seed);
        for (Map.Entry<String, Parameter> e : model.stateDict().entrySet()) {
            NDArray a = e.getValue().getArray();
            float[] v = a.toFloatArray();
            double mean = 0;
            for (float x : v) {
                mean += x / (double) v.length;
            }
            double var = 0;
            for (float x : v) {
                var += (x - mean) * (x - mean) / v.length;
            }
            double noise = var > 0 ? 0.1 * Math.sqrt(var) : 0.1;
            boolean variance = e.getKey().endsWith("running_var");
            for (int i = 0; i < v.length; i++) {
                v[i] = variance ? 0.5f + r.nextFloat() : (float) (v[i] + noise * r.nextGaussian());
            }
            a.set(v);
        }
        return model;
    }

    /** ONNX Runtime's logits for a random batch equal the model's eval-mode forward within 1e-4 (batch 1 too). */
    static void assertSameLogits(SpinModel model, Path file, NDManager m, int batch) {
        try (OnnxClassifier ort = OnnxClassifier.open(file, 1)) {
            int c = ort.input().channels();
            int s = ort.input().size();
            for (int b : new int[] {batch, 1}) {
                float[] x = new float[b * c * s * s];
                Random r = new Random(b);
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) r.nextGaussian();
                }
                float[] want;
                try (NDManager scope = m.newSubManager()) {
                    want = model.forward(scope.create(x, new Shape(b, c, s, s)), false).toFloatArray();
                }
                float[][] got = ort.logits(x, b);
                assertThat(got).hasNumberOfRows(b);
                int k = got[0].length;
                for (int i = 0; i < b; i++) {
                    for (int j = 0; j < k; j++) {
                        assertThat((double) got[i][j]).as("image %d logit %d", i, j)
                                .isCloseTo(want[i * k + j], org.assertj.core.api.Assertions.within(1e-4));
                    }
                }
            }
        }
    }

    static ModelProto read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return ModelProto.parseFrom(in);
        }
    }

    /** Names of the float initializers (the weights), not the shape and scalar constants. */
    static List<String> weightInitializers(ModelProto proto) {
        Set<String> seen = new HashSet<>();
        List<String> out = new ArrayList<>();
        for (TensorProto t : proto.getGraph().getInitializerList()) {
            if (!t.getName().startsWith("const_") && seen.add(t.getName())) {
                out.add(t.getName());
            }
        }
        return out;
    }

    /**
     * Every tensor of the state dict is one initializer under its key, except BatchNorm's (γ, β and
     * the running statistics), which are folded into a scale and a shift per layer; nothing else.
     */
    static void assertStoredOnce(SpinModel model, ModelProto proto, OnnxExporter.Written w) {
        Map<String, Parameter> sd = model.stateDict();
        Set<String> batchNorm = batchNormKeys(model);
        List<String> kept = sd.keySet().stream().filter(k -> !batchNorm.contains(k)).toList();
        List<String> folded = model.batchNorms().keySet().stream()
                .flatMap(k -> Stream.of(k + ".folded_scale", k + ".folded_shift")).toList();
        List<String> expected = new ArrayList<>(kept);
        expected.addAll(folded);
        assertThat(weightInitializers(proto)).containsExactlyInAnyOrderElementsOf(expected);
        long values = kept.stream().mapToLong(k -> sd.get(k).getArray().size()).sum()
                + model.batchNorms().keySet().stream().mapToLong(k -> 2 * sd.get(k + ".running_mean").getArray().size())
                .sum();
        assertThat(w.weightBytes()).isEqualTo(values * 4);
    }

    /** BatchNorm tensors: running statistics, the patch embedding's own, and ConvMixer's norm-scope stacks. */
    static Set<String> batchNormKeys(SpinModel model) {
        Set<String> out = new HashSet<>();
        for (String k : model.stateDict().keySet()) {
            if (k.endsWith(".running_mean") || k.endsWith(".running_var") || k.startsWith("patch_embed.bn.")) {
                out.add(k);
            }
        }
        model.sharedTensors().stream().filter(f -> isBatchNorm(model, f.scope()))
                .forEach(f -> out.addAll(f.stateDict().keySet()));
        return out;
    }

    /** ConvMixer's norms are BatchNorms; ViT's and ConvNeXt's are LayerNorms, kept as they are. */
    static boolean isBatchNorm(SpinModel model, String scope) {
        return scope.equals("norm") && !model.batchNorms().isEmpty();
    }
}
