package org.spin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    // Found by the fuzzer (ReadersFuzzTest): SnakeYAML's constructors let their own exceptions
    // through (IllegalArgumentException for bad base64, NumberFormatException for !!int on text).
    @Test
    void aValueItsTagCannotReadIsInvalidYaml() throws IOException {
        assertThat(fileError("MODEL:\n  NAME: !!binary '@@@'\n")).hasMessageContaining(": invalid YAML: a value cannot be read (");
        assertThat(fileError("RNG_SEED: !!int x\n")).hasMessageContaining(": invalid YAML: a value cannot be read (");
    }

    // Found by the fuzzer: control characters from the file reached the message, as a tab in a
    // key or a terminal escape in a value.
    @Test
    void controlCharactersFromTheFileAreEscaped() throws IOException {
        assertThat(fileError("TRAIN:\n  \"EVAL_PER\\tOD\": 1\n"))
                .hasMessage(dir.resolve("x.yaml") + ": unknown key TRAIN.EVAL_PER\\tOD; did you mean TRAIN.EVAL_PERIOD?");
        assertThat(fileError("RNG_SEED: \"1\\e[2J\"\n"))
                .hasMessage(dir.resolve("x.yaml") + ": RNG_SEED: expected an integer, got '1\\u001b[2J'");
    }

    // Found by the fuzzer: a 16000-digit number was copied into the message whole.
    @Test
    void aHugeValueIsShownOnlyInPart() throws IOException {
        SpinException e = fileError("RNG_SEED: " + "9".repeat(16_000) + "\n");
        assertThat(e).hasMessageContaining("RNG_SEED: expected an integer between").hasMessageContaining("(16000 characters)");
        assertThat(e.getMessage()).hasSizeLessThan(500);
    }

    // Found by the fuzzer: SnakeYAML copies its buffer for every chunk of a long token and checks
    // its size limit only after the token, so a 4-megabyte scalar made 30 GB of garbage first.
    @Test
    void aDocumentOverTheLimitIsRefusedBeforeParsing() throws IOException {
        assertThat(fileError("MODEL:\n  NAME: " + "x".repeat(300_000) + "\n"))
                .hasMessage(dir.resolve("x.yaml") + ": invalid YAML: the document has more than 262144 characters;"
                        + " expected a config of a few kilobytes");
    }

    // A list that contains itself (through an alias) made the "got ..." text recurse until the
    // stack overflowed.
    @Test
    void aValueThatContainsItselfIsShownWithoutRecursing() throws IOException {
        assertThat(fileError("DATA:\n  MEAN: &a [0.5, [*a]]\n"))
                .hasMessageContaining("DATA.MEAN: expected a list of numbers, got '[0.5, [[0.5, [[...]]]]]'");
    }

    // A mapping that contains itself under an unknown section sent the search for the first key
    // inside it round for ever.
    @Test
    void anUnknownSectionThatContainsItselfIsReported() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThat(fileError("SOLVR: &a {B: *a}\n"))
                .hasMessageContaining(": unknown key SOLVR.B.B.B"));
    }

    // A list as a key (YAML's "? [a, b]") names no config key; one built from aliases was
    // spelt out into the message whole.
    @Test
    void aListAsAKeyIsRejected() throws IOException {
        assertThat(fileError("? [a, b]\n: 1\n"))
                .hasMessage(dir.resolve("x.yaml") + ": top level has a list as a key; expected config names");
    }

    // An unknown key of 200000 characters made the suggestion search compare it with every known
    // key by edit distance, for seconds.
    @Test
    void aHugeUnknownKeyIsReportedQuickly() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThat(fileError("? " + "K".repeat(200_000) + "\n: 1\n"))
                .hasMessageContaining(": unknown key KKK").hasMessageContaining("(200000 characters)"));
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
