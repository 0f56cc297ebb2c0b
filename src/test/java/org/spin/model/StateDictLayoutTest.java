package org.spin.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.io.HostTensor;

/**
 * Checkpoint layouts are a contract: for every preset, scope, reduction and relaxation, the state
 * dict's keys, shapes, parameter types (weight decay), frozen flags, fresh keys and BatchNorm
 * prefixes digest to what {@code state-dicts/ARCH.txt} recorded, and on the small presets so do
 * the initial weights a seed draws. Regenerate a file only for a deliberate change:
 * {@code -Dspin.regenerate=true}.
 */
class StateDictLayoutTest {

    private static final List<String> REDUCTIONS = List.of("None", "mean", "choose_first", "scalar_weighted_mean",
            "channel_weighted_mean");
    private static final List<String> RELAXATIONS = List.of("none", "dynamic", "lora");

    @ParameterizedTest
    @ValueSource(strings = {"convmixer", "vit", "convnext"})
    void everyCombinationKeepsItsKeysShapesAndInitialWeights(String arch) throws IOException {
        Path golden = Path.of("src/test/resources/state-dicts/" + arch + ".txt");
        List<String> lines = new ArrayList<>();
        for (Preset p : Presets.all()) {
            SpinConfig base = p.applyTo(SpinConfig.defaults());
            Architecture a = Models.architecture(base);
            if (!a.name().equals(arch)) {
                continue;
            }
            List<String> scopes = new ArrayList<>(a.scopes().names());
            scopes.addAll(a.scopes().aliases().keySet());
            for (String scope : scopes) {
                lines.add(line(p, base, scope, false, "None", "none"));
                for (String reduction : REDUCTIONS) {
                    for (String relaxation : RELAXATIONS) {
                        lines.add(line(p, base, scope, true, reduction, relaxation));
                    }
                }
            }
        }
        if (Boolean.getBoolean("spin.regenerate")) {
            Files.write(golden, lines, StandardCharsets.UTF_8);
        }
        assertThat(lines).containsExactlyElementsOf(Files.readAllLines(golden, StandardCharsets.UTF_8));
    }

    private static String line(Preset p, SpinConfig base, String scope, boolean shared, String reduction,
                               String relaxation) {
        String ws = Models.weightShare(base);
        SpinConfig cfg = base.with(ws + "ENABLE", shared).with(ws + "SHARE_RATE", 2).with(ws + "SCOPE", scope)
                .with(ws + "SHARING_MAPPING", "strided").with(ws + "REDUCTION_FN", reduction)
                .with(ws + "RELAXATION", relaxation);
        String name = p.name() + " " + scope + " " + (shared ? "rate2" : "unshared") + " " + reduction + " " + relaxation;
        try {
            SpinModel model = Models.architecture(cfg).create(cfg, p.imageSize());
            StringBuilder layout = new StringBuilder();
            for (Map.Entry<String, Parameter> e : model.stateDict().entrySet()) {
                Parameter v = e.getValue();
                layout.append(e.getKey()).append(' ').append(v.getShape()).append(' ').append(v.getType())
                        .append(v.requiresGradient() ? "" : " frozen").append('\n');
            }
            layout.append("fresh ").append(model.freshKeys()).append('\n');
            layout.append("norms ").append(model.batchNorms().keySet()).append('\n');
            String weights = "-";
            if (!p.fullSize()) {
                try (NDManager m = NDManager.newBaseManager()) {
                    StringBuilder values = new StringBuilder();
                    for (Map.Entry<String, HostTensor> e : StateDicts.export(Models.build(cfg, m, p.imageSize())).entrySet()) {
                        values.append(e.getKey()).append(' ').append(HexFormat.of().formatHex(sha(e.getValue().data())));
                    }
                    weights = digest(values.toString());
                }
            }
            return name + " " + model.stateDict().size() + " keys, layout " + digest(layout.toString()) + ", weights "
                    + weights;
        } catch (SpinException e) {
            return name + " error " + e.getMessage();
        }
    }

    private static String digest(String s) {
        return HexFormat.of().formatHex(sha(s.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
    }

    private static byte[] sha(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
