package org.spin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spin.SpinException;

class SerializationTest {

    private static final SpinConfig WFWS =
            SpinConfig.defaults().withYaml(Path.of("configs/reference/WFWS-ConvMixer.yaml"));

    @Test
    void jsonRoundTripGivesAnEqualConfig() {
        assertThat(SpinConfig.fromJson(WFWS.toJson())).isEqualTo(WFWS);
        assertThat(SpinConfig.fromJson(SpinConfig.defaults().toJson())).isEqualTo(SpinConfig.defaults());
    }

    @Test
    void yamlRoundTripGivesAnEqualConfig() {
        assertThat(SpinConfig.defaults().withYamlText(WFWS.toYaml(), "dump")).isEqualTo(WFWS);
        assertThat(SpinConfig.defaults().withYamlText(SpinConfig.defaults().toYaml(), "dump"))
                .isEqualTo(SpinConfig.defaults());
    }

    @Test
    void jsonIsNestedLikeTheYamlAndHoldsEveryKeyIncludingNulls() {
        JsonObject root = JsonParser.parseString(SpinConfig.defaults().toJson()).getAsJsonObject();

        assertThat(root.getAsJsonObject("SOLVER").get("BASE_LR").getAsDouble()).isEqualTo(0.01);
        assertThat(root.getAsJsonObject("SOLVER").get("CLIP_GRAD_L2NORM").isJsonNull()).isTrue();
        assertThat(root.getAsJsonObject("CONVMIXER").getAsJsonObject("WEIGHT_SHARE").get("SHARE_RATE").getAsInt())
                .isEqualTo(1);
        assertThat(root.get("NUM_GPUS").getAsInt()).isZero();
        long leaves = SpinSchema.get().keys().size();
        assertThat(countLeaves(root)).isEqualTo(leaves);
    }

    private static long countLeaves(JsonObject o) {
        return o.entrySet().stream()
                .mapToLong(e -> e.getValue().isJsonObject() ? countLeaves(e.getValue().getAsJsonObject()) : 1)
                .sum();
    }

    @Test
    void yamlUsesTheReferenceLayout() {
        String yaml = WFWS.toYaml();

        assertThat(yaml).contains("\nCONVMIXER:\n  DEPTH: 32\n  CHANNEL: 768\n")
                .contains("\n  WEIGHT_SHARE:\n    ENABLE: true\n")
                .contains("\n    REDUCTION_FN: mean\n")
                .contains("\n  AA_TYPE: rand-m9-mstd0.5-inc1\n").contains("\n  WARMUP_EPOCHS: 0.0\n")
                .contains("\n  ENABLE: true  # not acted on yet\n")
                .contains("\n  MEAN: [0.485, 0.456, 0.406]\n")
                .contains("\n  PATH_TO_DATA_DIR: \"\"\n")
                .contains("\nNUM_GPUS: 4\n");
    }

    @Test
    void fromJsonRejectsUnknownKeys() {
        assertThatThrownBy(() -> SpinConfig.fromJson("{\"SOLVER\": {\"BASE_RL\": 0.1}}"))
                .isInstanceOf(SpinException.class)
                .hasMessage("config JSON: unknown key SOLVER.BASE_RL; did you mean SOLVER.BASE_LR?");
    }

    @Test
    void fromJsonRejectsWrongTypes() {
        assertThatThrownBy(() -> SpinConfig.fromJson("{\"TRAIN\": {\"BATCH_SIZE\": 6.5}}"))
                .isInstanceOf(SpinException.class)
                .hasMessage("config JSON: TRAIN.BATCH_SIZE: expected an integer, got '6.5'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{SOLVER: {}}", "{} {}", "[1]", ""})
    void fromJsonRejectsMalformedOrNonObjectJson(String json) {
        assertThatThrownBy(() -> SpinConfig.fromJson(json))
                .isInstanceOf(SpinException.class)
                .hasMessageStartingWith("config JSON: ");
    }

    @Test
    void fromJsonFillsMissingKeysWithDefaults() {
        SpinConfig cfg = SpinConfig.fromJson("{\"SOLVER\": {\"BASE_LR\": 0.5}}");

        assertThat(cfg).isEqualTo(SpinConfig.defaults().with("SOLVER.BASE_LR", 0.5));
    }

    @Test
    void fromJsonWarnsOnlyAboutNotActedKeysThatDifferFromDefaults() {
        SpinConfig cfg = SpinConfig.defaults().withOverrides(List.of("TRAIN.ENABLE", "False", "AUG.COLOR_JITTER", "0.4"));

        assertThat(SpinConfig.fromJson(cfg.toJson()).ignoredKeys()).containsExactly("TRAIN.ENABLE");
    }

    @Test
    void stringsThatLookLikeOtherThingsSurviveYaml() {
        for (String s : List.of("True", "123", "2e-5", "a: b", "#x", "x #y", "[1]", "~", "null", "'q'", "\"dq\"",
                "tab\there", "line\nbreak", "über/ordner", "emoji \uD83D\uDE00", "trailing:", "- item", "*alias",
                "%pct", "@at", "`tick", "{}", "", " padded ", "a\\b")) {
            SpinConfig cfg = fromRaw(s);
            assertThat(SpinConfig.defaults().withYamlText(cfg.toYaml(), "dump"))
                    .as("OUTPUT_DIR %s", s).isEqualTo(cfg);
            assertThat(SpinConfig.fromJson(cfg.toJson())).as("OUTPUT_DIR %s", s).isEqualTo(cfg);
        }
    }

    /** A config whose OUTPUT_DIR holds exactly {@code s}, bypassing command-line text parsing. */
    private static SpinConfig fromRaw(String s) {
        JsonObject root = new JsonObject();
        root.addProperty("OUTPUT_DIR", s);
        return SpinConfig.fromJson(root.toString());
    }

    @Test
    void equalConfigsHaveEqualHashCodes() {
        SpinConfig a = SpinConfig.defaults().with("SOLVER.BASE_LR", 0.5);
        SpinConfig b = SpinConfig.defaults().withOverrides(List.of("SOLVER.BASE_LR", "0.5"));

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(SpinConfig.defaults());
    }

    @Test
    void equalityIgnoresHowKeysWereSet() {
        SpinConfig explicit = SpinConfig.defaults().withOverrides(List.of("TRAIN.ENABLE", "True"));

        assertThat(explicit).isEqualTo(SpinConfig.defaults());
        assertThat(explicit.ignoredKeys()).containsExactly("TRAIN.ENABLE");
    }

    @Test
    void toStringShowsOnlyChangedValues() {
        assertThat(SpinConfig.defaults().with("SOLVER.BASE_LR", 0.5).toString())
                .isEqualTo("SpinConfig{SOLVER.BASE_LR=0.5}");
    }
}
