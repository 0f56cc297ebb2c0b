package org.spin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spin.SpinException;

/** Values take the type of their key, whatever YAML made of them. */
class CoercionTest {

    @TempDir
    Path dir;

    private SpinConfig yaml(String text) throws IOException {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, text);
        return SpinConfig.defaults().withYaml(f);
    }

    private static SpinConfig override(String key, String value) {
        return SpinConfig.defaults().withOverrides(List.of(key, value));
    }

    @Test
    void exponentWithoutADotIsANumber() throws IOException {
        assertThat(yaml("SOLVER:\n  WEIGHT_DECAY: 2e-5\n").getDouble("SOLVER.WEIGHT_DECAY")).isEqualTo(2.0E-5);
        assertThat(override("SOLVER.WEIGHT_DECAY", "2e-5").getDouble("SOLVER.WEIGHT_DECAY")).isEqualTo(2.0E-5);
    }

    @Test
    void aLongRunOfDigitsThatIsNotANumberIsRefusedAtOnce() throws IOException {
        // found by the fuzzer: the number pattern backtracked quadratically (two minutes for this value)
        String digits = "1".repeat(200_000) + "x";
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> yaml("MIXUP:\n  SWITCH_PROB: '" + digits + "'\n"))
                .isInstanceOf(SpinException.class).hasMessageContaining("MIXUP.SWITCH_PROB: expected a number");
        assertThatThrownBy(() -> override("SOLVER.BASE_LR", digits)).isInstanceOf(SpinException.class);
        assertThat((System.nanoTime() - t0) / 1e9).as("seconds (a hang guard, not a speed target)").isLessThan(10);
        assertThat(override("SOLVER.BASE_LR", "1".repeat(50) + ".5e-3").getDouble("SOLVER.BASE_LR")).isEqualTo(1.111111111111111e46);
    }

    @Test
    void numberWrittenAsAQuotedStringIsANumber() throws IOException {
        // YAML 1.1 parsers (PyYAML, older SnakeYAML) read 2e-5 as text; quoting forces that case.
        assertThat(yaml("SOLVER:\n  WEIGHT_DECAY: '2e-5'\n").getDouble("SOLVER.WEIGHT_DECAY")).isEqualTo(2.0E-5);
    }

    @Test
    void integerForANumberKeyBecomesADouble() throws IOException {
        assertThat(yaml("SOLVER:\n  BASE_LR: 1\n").get("SOLVER.BASE_LR")).isEqualTo(1.0);
        assertThat(override("SOLVER.BASE_LR", "1").get("SOLVER.BASE_LR")).isEqualTo(1.0);
    }

    @Test
    void fractionForAnIntegerKeyIsRejected() throws IOException {
        assertThatThrownBy(() -> yaml("TRAIN:\n  BATCH_SIZE: 2.5\n"))
                .isInstanceOf(SpinException.class)
                .hasMessageEndingWith("c.yaml: TRAIN.BATCH_SIZE: expected an integer, got '2.5'");
    }

    @Test
    void integerOutOfRangeIsRejected() {
        assertThatThrownBy(() -> override("TRAIN.BATCH_SIZE", "99999999999"))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining("expected an integer between");
    }

    @ParameterizedTest
    @ValueSource(strings = {"None", "null", "", "  "})
    void noneNullOrEmptyOverrideUnsetsANullableKey(String text) {
        SpinConfig clipped = SpinConfig.defaults().with("SOLVER.CLIP_GRAD_L2NORM", 1.0);

        SpinConfig cfg = clipped.withOverrides(List.of("SOLVER.CLIP_GRAD_L2NORM", text));

        assertThat(cfg.isNull("SOLVER.CLIP_GRAD_L2NORM")).isTrue();
    }

    @Test
    void emptyFileValueUnsetsANullableKey() throws IOException {
        SpinConfig cfg = yaml("SOLVER:\n  CLIP_GRAD_L2NORM:\n");

        assertThat(cfg.isNull("SOLVER.CLIP_GRAD_L2NORM")).isTrue();
    }

    @Test
    void emptyValueForANonNullableNumberIsRejected() {
        assertThatThrownBy(() -> override("SOLVER.BASE_LR", ""))
                .isInstanceOf(SpinException.class)
                .hasMessage("override SOLVER.BASE_LR: expected a number, got ''");
    }

    @Test
    void listOverrideInFlowSyntax() {
        assertThat(override("DATA.MEAN", "[0.5,0.5]").getDoubleList("DATA.MEAN")).containsExactly(0.5, 0.5);
    }

    @Test
    void intListOverrideInFlowSyntaxOrCommaSeparated() {
        String key = "CONVMIXER.WEIGHT_SHARE.PLAN";
        assertThat(override(key, "[0,0,1,1]").getIntList(key)).containsExactly(0, 0, 1, 1);
        assertThat(override(key, "0,0,1,1").getIntList(key)).containsExactly(0, 0, 1, 1);
        assertThat(override(key, "0, 0, 1, 1").getIntList(key)).containsExactly(0, 0, 1, 1);
    }

    @Test
    void integersInANumberListBecomeDoubles() {
        assertThat(override("DATA.STD", "[1, 2e-1]").getDoubleList("DATA.STD")).containsExactly(1.0, 0.2);
    }

    @Test
    void listKeyGivenAScalarIsRejected() throws IOException {
        assertThatThrownBy(() -> yaml("DATA:\n  INPUT_CHANNEL_NUM: 3\n"))
                .isInstanceOf(SpinException.class)
                .hasMessageEndingWith("c.yaml: DATA.INPUT_CHANNEL_NUM: expected a list of integers, got '3'");
        assertThatThrownBy(() -> override("DATA.MEAN", "0.5"))
                .isInstanceOf(SpinException.class)
                .hasMessage("override DATA.MEAN: expected a list of numbers, got '0.5'");
    }

    @Test
    void listWithAFractionForAnIntListIsRejected() {
        assertThatThrownBy(() -> override("CONVMIXER.WEIGHT_SHARE.PLAN", "[0, 1.5]"))
                .isInstanceOf(SpinException.class)
                .hasMessage("override CONVMIXER.WEIGHT_SHARE.PLAN: expected a list of integers or None, got '[0, 1.5]'");
    }

    @Test
    void choicesMatchCaseInsensitivelyAndStoreTheCanonicalSpelling() {
        assertThat(override("CONVMIXER.ACT_FUNC", "gelu").getString("CONVMIXER.ACT_FUNC")).isEqualTo("GELU");
        assertThat(override("SOLVER.LR_POLICY", "Constant").getString("SOLVER.LR_POLICY")).isEqualTo("constant");
    }

    @Test
    void nullableChoiceAcceptsNone() {
        SpinConfig fused = override("CONVMIXER.WEIGHT_SHARE.REDUCTION_FN", "mean");

        SpinConfig cfg = fused.withOverrides(List.of("CONVMIXER.WEIGHT_SHARE.REDUCTION_FN", "None"));

        assertThat(cfg.getString("CONVMIXER.WEIGHT_SHARE.REDUCTION_FN")).isNull();
    }

    @Test
    void stringOverrideKeepsItsTextAsIs() {
        assertThat(override("AUG.AA_TYPE", "rand-m7-mstd0.5").getString("AUG.AA_TYPE")).isEqualTo("rand-m7-mstd0.5");
        assertThat(override("OUTPUT_DIR", "runs/a: b #1").getString("OUTPUT_DIR")).isEqualTo("runs/a: b #1");
        assertThat(override("OUTPUT_DIR", "2024").getString("OUTPUT_DIR")).isEqualTo("2024");
    }

    @Test
    void quotedStringOverrideIsUnquoted() {
        assertThat(override("OUTPUT_DIR", "'runs/x'").getString("OUTPUT_DIR")).isEqualTo("runs/x");
    }

    @Test
    void dateLikeFileValueStaysText() throws IOException {
        assertThat(yaml("OUTPUT_DIR: 2024-01-01\n").getString("OUTPUT_DIR")).isEqualTo("2024-01-01");
    }

    @Test
    void numberForAStringKeyInAFileIsItsText() throws IOException {
        assertThat(yaml("MODEL:\n  MODEL_NAME: 2\n").getString("MODEL.MODEL_NAME")).isEqualTo("2");
    }

    @Test
    void booleanAcceptsTheReferenceSpellings() throws IOException {
        assertThat(yaml("AUG:\n  ENABLE: False\n").getBool("AUG.ENABLE")).isFalse();
        assertThat(override("AUG.ENABLE", "True").getBool("AUG.ENABLE")).isTrue();
        assertThat(override("AUG.ENABLE", "false").getBool("AUG.ENABLE")).isFalse();
    }

    @Test
    void booleanRejectsNumbers() {
        assertThatThrownBy(() -> override("AUG.ENABLE", "1"))
                .isInstanceOf(SpinException.class)
                .hasMessage("override AUG.ENABLE: expected true or false, got '1'");
    }

    @Test
    void infinityIsRejected() {
        assertThatThrownBy(() -> override("SOLVER.BASE_LR", ".inf"))
                .isInstanceOf(SpinException.class)
                .hasMessage("override SOLVER.BASE_LR: expected a finite number, got '.inf'");
    }

    @Test
    void optionAcceptsJavaValues() {
        SpinConfig cfg = SpinConfig.defaults()
                .with("SOLVER.BASE_LR", 1)
                .with("DATA.MEAN", new double[] {0.5, 0.25})
                .with("CONVMIXER.WEIGHT_SHARE.PLAN", List.of(0, 1, 1))
                .with("TRAIN.BATCH_SIZE", 32L)
                .with("MIXUP.LABEL_SMOOTH_VALUE", 0.2f);

        assertThat(cfg.getDouble("SOLVER.BASE_LR")).isEqualTo(1.0);
        assertThat(cfg.getDoubleList("DATA.MEAN")).containsExactly(0.5, 0.25);
        assertThat(cfg.getIntList("CONVMIXER.WEIGHT_SHARE.PLAN")).containsExactly(0, 1, 1);
        assertThat(cfg.getInt("TRAIN.BATCH_SIZE")).isEqualTo(32);
        assertThat(cfg.getDouble("MIXUP.LABEL_SMOOTH_VALUE")).isEqualTo(0.2);
    }

    @Test
    void optionParsesTextLikeAnOverride() {
        SpinConfig cfg = SpinConfig.defaults().with("TRAIN.BATCH_SIZE", "32").with("DATA.MEAN", "0.5,0.5");

        assertThat(cfg.getInt("TRAIN.BATCH_SIZE")).isEqualTo(32);
        assertThat(cfg.getDoubleList("DATA.MEAN")).containsExactly(0.5, 0.5);
    }

    @Test
    void nullOptionUnsetsANullableKey() {
        SpinConfig cfg = SpinConfig.defaults().with("SOLVER.CLIP_GRAD_L2NORM", 2.0).with("SOLVER.CLIP_GRAD_L2NORM", null);

        assertThat(cfg.isNull("SOLVER.CLIP_GRAD_L2NORM")).isTrue();
    }
}
