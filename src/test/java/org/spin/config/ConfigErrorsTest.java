package org.spin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.SpinException;

/** Every user mistake is a one-line SpinException naming the input and what was expected. */
class ConfigErrorsTest {

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path f = dir.resolve("x.yaml");
        Files.writeString(f, text);
        return f;
    }

    private SpinException fileError(String text) throws IOException {
        Path f = write(text);
        SpinException e = catchThrowableOfType(SpinException.class, () -> SpinConfig.defaults().withYaml(f));
        assertThat(e).as("expected a SpinException").isNotNull();
        assertThat(e.getMessage()).startsWith(f + ": ").doesNotContain("\n");
        return e;
    }

    private static SpinException overrideError(String... pairs) {
        SpinException e = catchThrowableOfType(SpinException.class,
                () -> SpinConfig.defaults().withOverrides(List.of(pairs)));
        assertThat(e).as("expected a SpinException").isNotNull();
        assertThat(e.getMessage()).doesNotContain("\n");
        return e;
    }

    @Test
    void unknownKeyInAFileSuggestsTheClosestKey() throws IOException {
        Path f = write("SOLVER:\n  BASE_RL: 0.1\n");

        assertThatThrownBy(() -> SpinConfig.defaults().withYaml(f))
                .isInstanceOf(SpinException.class)
                .hasMessage(f + ": unknown key SOLVER.BASE_RL; did you mean SOLVER.BASE_LR?");
    }

    @Test
    void unknownKeyInAnOverrideSuggestsTheClosestKey() {
        assertThat(overrideError("SOLVER.BASE_RL", "0.1"))
                .hasMessage("override: unknown key SOLVER.BASE_RL; did you mean SOLVER.BASE_LR?");
    }

    @Test
    void bareLeafSuggestsItsFullKey() {
        assertThat(overrideError("BASE_LR", "0.1"))
                .hasMessage("override: unknown key BASE_LR; did you mean SOLVER.BASE_LR?");
    }

    @Test
    void leafInTheWrongSectionSuggestsWhereItLives() {
        assertThat(overrideError("CONVMIXER.SHARE_RATE", "2"))
                .hasMessage("override: unknown key CONVMIXER.SHARE_RATE; did you mean CONVMIXER.WEIGHT_SHARE.SHARE_RATE?");
    }

    @Test
    void partOfALeafSuggestsTheKeyContainingIt() {
        assertThat(overrideError("CONVMIXER.WEIGHT_SHARE.RATE", "2"))
                .hasMessage("override: unknown key CONVMIXER.WEIGHT_SHARE.RATE; "
                        + "did you mean CONVMIXER.WEIGHT_SHARE.SHARE_RATE?");
    }

    @Test
    void leafTypoPrefersTheSectionTheUserNamed() {
        assertThat(overrideError("TEST.BATCHSIZE", "2"))
                .hasMessage("override: unknown key TEST.BATCHSIZE; did you mean TEST.BATCH_SIZE?");
    }

    @Test
    void ambiguousLeafSuggestsSeveralKeys() {
        assertThat(overrideError("ENABLE", "True").getMessage())
                .matches("override: unknown key ENABLE; did you mean [A-Z_.]+ENABLE, [A-Z_.]+ENABLE or [A-Z_.]+ENABLE\\?");
    }

    @Test
    void lowerCaseKeySuggestsTheUpperCaseOne() {
        assertThat(overrideError("solver.base_lr", "0.1"))
                .hasMessage("override: unknown key solver.base_lr; did you mean SOLVER.BASE_LR?");
    }

    @Test
    void misspeltSectionInAFileSuggestsTheKeyInside() throws IOException {
        assertThat(fileError("SOLVR:\n  BASE_LR: 0.1\n"))
                .hasMessageEndingWith("unknown key SOLVR.BASE_LR; did you mean SOLVER.BASE_LR?");
    }

    @Test
    void unknownKeyWithNothingCloseHasNoSuggestion() {
        assertThat(overrideError("FOO.BAR_BAZ_QUUX", "1")).hasMessage("override: unknown key FOO.BAR_BAZ_QUUX");
    }

    @Test
    void wrongTypeInAnOverrideNamesKeyExpectationAndText() {
        assertThat(overrideError("SOLVER.BASE_LR", "abc"))
                .hasMessage("override SOLVER.BASE_LR: expected a number, got 'abc'");
    }

    @Test
    void wrongTypeInAFileNamesFileKeyAndValue() throws IOException {
        Path f = write("SOLVER:\n  MAX_EPOCH: lots\n");

        assertThatThrownBy(() -> SpinConfig.defaults().withYaml(f))
                .hasMessage(f + ": SOLVER.MAX_EPOCH: expected an integer, got 'lots'");
    }

    @Test
    void danglingOverrideNamesTheKeyWithoutAValue() {
        assertThat(overrideError("SOLVER.BASE_LR", "0.1", "SOLVER.MAX_EPOCH"))
                .hasMessage("override SOLVER.MAX_EPOCH: missing value; overrides come in KEY VALUE pairs");
    }

    @Test
    void invalidEnumValueListsTheChoices() {
        assertThat(overrideError("CONVMIXER.ACT_FUNC", "tanh"))
                .hasMessage("override CONVMIXER.ACT_FUNC: expected one of RELU, GELU, got 'tanh'");
        assertThat(overrideError("CONVMIXER.WEIGHT_SHARE.SHARING_MAPPING", "pyramid"))
                .hasMessage("override CONVMIXER.WEIGHT_SHARE.SHARING_MAPPING: "
                        + "expected one of sequential, strided, random, cycle_rev, got 'pyramid'");
    }

    @Test
    void invalidNullableEnumValueListsNoneAmongTheChoices() {
        assertThat(overrideError("CONVMIXER.WEIGHT_SHARE.REDUCTION_FN", "max"))
                .hasMessage("override CONVMIXER.WEIGHT_SHARE.REDUCTION_FN: expected one of None, mean, "
                        + "choose_first, scalar_weighted_mean, channel_weighted_mean, got 'max'");
    }

    @Test
    void invalidEnumValueInAFileListsTheChoices() throws IOException {
        assertThat(fileError("TRAIN:\n  DATASET: cifar100\n"))
                .hasMessageEndingWith("TRAIN.DATASET: expected one of fashion_mnist, synthetic, cifar10, image_folder,"
                        + " imagenet, got 'cifar100'");
    }

    @Test
    void fileThatIsAListIsRejected() throws IOException {
        assertThat(fileError("- SOLVER\n- TRAIN\n"))
                .hasMessageEndingWith(": expected a mapping of config sections and keys, got a list");
    }

    @Test
    void fileThatIsAScalarIsRejected() throws IOException {
        assertThat(fileError("hello\n")).hasMessageEndingWith("got 'hello'");
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        assertThat(fileError("# nothing here\n")).hasMessageContaining("empty");
    }

    @Test
    void sectionGivenAScalarIsRejected() throws IOException {
        assertThat(fileError("SOLVER: 0.1\n"))
                .hasMessageEndingWith("SOLVER is a section and needs a mapping of keys, got '0.1'");
    }

    @Test
    void keyGivenAMappingIsRejected() throws IOException {
        assertThat(fileError("SOLVER:\n  BASE_LR:\n    VALUE: 0.1\n"))
                .hasMessageEndingWith("SOLVER.BASE_LR: expected a number, got a mapping");
    }

    @Test
    void emptySectionSetsNothing() throws IOException {
        Path f = write("SOLVER:\nTRAIN:\n  BATCH_SIZE: 8\n");

        assertThat(SpinConfig.defaults().withYaml(f).getInt("TRAIN.BATCH_SIZE")).isEqualTo(8);
    }

    @Test
    void invalidYamlSyntaxIsOneLineWithItsPosition() throws IOException {
        assertThat(fileError("SOLVER:\n  BASE_LR: [0.1\n")).hasMessageContaining("invalid YAML at line");
    }

    @Test
    void duplicateKeyInAFileIsRejected() throws IOException {
        assertThat(fileError("SOLVER:\n  BASE_LR: 0.1\n  BASE_LR: 0.2\n")).hasMessageContaining("duplicate key");
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("missing.yaml");

        assertThatThrownBy(() -> SpinConfig.defaults().withYaml(missing))
                .isInstanceOf(SpinException.class)
                .hasMessage(missing + ": cannot read config: no such file");
    }

    @Test
    void unknownKeyFromCodeIsAProgrammingError() {
        assertThatThrownBy(() -> SpinConfig.defaults().with("SOLVER.BASE_RL", 0.1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wrongValueFromAnOptionIsAUserError() {
        assertThatThrownBy(() -> SpinConfig.defaults().with("TRAIN.BATCH_SIZE", "many"))
                .isInstanceOf(SpinException.class)
                .hasMessage("option TRAIN.BATCH_SIZE: expected an integer, got 'many'");
    }
}
