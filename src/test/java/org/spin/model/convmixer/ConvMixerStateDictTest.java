package org.spin.model.convmixer;

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
import org.junit.jupiter.api.Test;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.io.HostTensor;
import org.spin.model.Models;
import org.spin.model.Preset;
import org.spin.model.Presets;
import org.spin.model.SpinModel;
import org.spin.model.StateDicts;

/**
 * ConvMixer's checkpoint layout is a contract: for every preset, scope, reduction and relaxation,
 * the state dict's keys, shapes, parameter types (weight decay), frozen flags, fresh keys and
 * BatchNorm prefixes digest to what {@code convmixer/state-dicts.txt} recorded, and on the small
 * presets so do the initial weights a seed draws. Regenerate the file only for a deliberate change:
 * {@code -Dspin.regenerate=true}.
 */
class ConvMixerStateDictTest {

    private static final Path GOLDEN = Path.of("src/test/resources/convmixer/state-dicts.txt");
    private static final List<String> SCOPES = List.of("pointwise", "depthwise", "norm", "both");
    private static final List<String> REDUCTIONS = List.of("None", "mean", "choose_first", "scalar_weighted_mean",
            "channel_weighted_mean");
    private static final List<String> RELAXATIONS = List.of("none", "dynamic", "lora");

    @Test
    void everyCombinationKeepsItsKeysShapesAndInitialWeights() throws IOException {
        List<String> lines = new ArrayList<>();
        for (Preset p : Presets.all()) {
            if (!p.name().startsWith("convmixer")) {
                continue;
            }
            for (String scope : SCOPES) {
                lines.add(line(p, scope, false, "None", "none"));
                for (String reduction : REDUCTIONS) {
                    for (String relaxation : RELAXATIONS) {
                        lines.add(line(p, scope, true, reduction, relaxation));
                    }
                }
            }
        }
        if (Boolean.getBoolean("spin.regenerate")) {
            Files.write(GOLDEN, lines, StandardCharsets.UTF_8);
        }
        assertThat(lines).containsExactlyElementsOf(Files.readAllLines(GOLDEN, StandardCharsets.UTF_8));
    }

    private static String line(Preset p, String scope, boolean shared, String reduction, String relaxation) {
        SpinConfig cfg = p.applyTo(SpinConfig.defaults()).with("CONVMIXER.WEIGHT_SHARE.ENABLE", shared)
                .with("CONVMIXER.WEIGHT_SHARE.SHARE_RATE", 2).with("CONVMIXER.WEIGHT_SHARE.SCOPE", scope)
                .with("CONVMIXER.WEIGHT_SHARE.SHARING_MAPPING", "strided")
                .with("CONVMIXER.WEIGHT_SHARE.REDUCTION_FN", reduction)
                .with("CONVMIXER.WEIGHT_SHARE.RELAXATION", relaxation);
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
