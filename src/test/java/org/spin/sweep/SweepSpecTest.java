package org.spin.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.SpinException;

/** A sweep file is read or refused with a one-line error naming it; never another exception. */
class SweepSpecTest {

    @TempDir
    Path tmp;

    private Path file(String yaml) throws Exception {
        return Files.writeString(tmp.resolve("s.yaml"), yaml);
    }

    private AbstractThrowableAssert<?, ? extends Throwable> refused(String yaml) throws Exception {
        Path f = file(yaml);
        return assertThatThrownBy(() -> SweepSpec.read(f)).isInstanceOf(SpinException.class)
                .hasMessageStartingWith("sweep file " + f).hasMessageNotContaining("\n");
    }

    @Test
    void readsTheRepositorysSweep() {
        SweepSpec spec = SweepSpec.read(Path.of("configs/sweeps/fmnist_convmixer.yaml"));
        assertThat(spec.preset()).isEqualTo("convmixer_64_8");
        assertThat(spec.grids()).hasSize(4);
        assertThat(spec.points()).hasSize(4);
    }

    // Found by the fuzzer (ReadersFuzzTest): an axis with an empty value threw a
    // NullPointerException (List.of(null)). A bare value is a one-value axis, None included.
    @Test
    void anEmptyAxisValueIsTheOneValueNone() throws Exception {
        SweepSpec spec = SweepSpec.read(file("grid:\n  CONVMIXER.WEIGHT_SHARE.REDUCTION_FN:\n  RNG_SEED: 0\n"));
        assertThat(spec.grids().get(0)).containsEntry("CONVMIXER.WEIGHT_SHARE.REDUCTION_FN", Collections.singletonList(null))
                .containsEntry("RNG_SEED", List.of(0));
    }

    // A NUL in a path threw InvalidPathException.
    @Test
    void aBaseThatIsNoPathIsRefused() throws Exception {
        refused("base: \"a\\0b.yaml\"\npoints: [{RNG_SEED: 0}]\n").hasMessageContaining(": base is not a valid path (");
    }

    // A list as the base was turned into the path "[a, b]".
    @Test
    void aBaseThatIsAListIsRefused() throws Exception {
        refused("base: [a, b]\npoints: [{RNG_SEED: 0}]\n").hasMessageEndingWith(": base must be a single value, not a list");
    }

    // A repeated key silently replaced the first.
    @Test
    void aDuplicatedKeyIsRefused() throws Exception {
        refused("set: {SOLVER.BASE_LR: 0.1}\nset: {SOLVER.BASE_LR: 0.2}\npoints: [{RNG_SEED: 0}]\n")
                .hasMessageEndingWith(" is not valid YAML at line 2, column 1: found duplicate key set");
    }

    // Aliases expanding to 10^4 values (40 aliases) were read, to become as many runs.
    @Test
    void anAliasBombIsRefused() throws Exception {
        StringBuilder yaml = new StringBuilder("set:\n  A: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n");
        for (int level = 1; level <= 4; level++) {
            yaml.append("  A").append(level).append(": &a").append(level).append(" [")
                    .append(String.join(", ", Collections.nCopies(10, "*a" + (level - 1)))).append("]\n");
        }
        refused(yaml + "grid: {RNG_SEED: *a4}\n").hasMessageContaining("aliases");
    }

    // Found by the fuzzer: SnakeYAML copies its buffer for every chunk of a long token, so a
    // 650-kilobyte file made 850 MB of garbage.
    @Test
    void aFileOverTheSizeLimitIsRefusedBeforeParsing() throws Exception {
        refused("preset: " + "x".repeat(300_000) + "\npoints: [{RNG_SEED: 0}]\n")
                .hasMessageEndingWith(" has more than 262144 characters; expected a sweep of a few kilobytes");
    }

    @Test
    void aListAsAKeyIsRefused() throws Exception {
        refused("points:\n  - ? [a, b]\n    : 1\n").hasMessageEndingWith(": points[0] has a list as a key; expected config keys");
    }

    @Test
    void anUnknownKeyIsShownEscaped() throws Exception {
        refused("\"gr\\tid\": {RNG_SEED: [0]}\n").hasMessageContaining(": unknown key 'gr\\tid'; valid: ");
    }

    @Test
    void unsetAxesAndSettingsKeepTheirOrder() throws Exception {
        SweepSpec spec = SweepSpec.read(file("set: {B: 1, A: 2}\ngrid: {Y: [1, 2], X: 3}\n"));
        assertThat(spec.set().keySet()).containsExactly("B", "A");
        assertThat(spec.grids().get(0)).containsExactly(
                java.util.Map.entry("Y", Arrays.asList(1, 2)), java.util.Map.entry("X", List.of(3)));
    }
}
