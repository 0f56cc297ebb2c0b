package org.spin.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers apply in call order: defaults, then file, then options, then overrides. */
class PrecedenceTest {

    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void writeFile() throws IOException {
        file = dir.resolve("run.yaml");
        Files.writeString(file, "SOLVER:\n  BASE_LR: 0.1\n  MAX_EPOCH: 5\nTRAIN:\n  BATCH_SIZE: 16\n");
    }

    @Test
    void fileBeatsDefaults() {
        SpinConfig cfg = SpinConfig.defaults().withYaml(file);

        assertThat(cfg.getDouble("SOLVER.BASE_LR")).isEqualTo(0.1);
        assertThat(cfg.getDouble("SOLVER.WEIGHT_DECAY")).isEqualTo(2e-5); // untouched default
    }

    @Test
    void optionBeatsFile() {
        SpinConfig cfg = SpinConfig.defaults().withYaml(file).with("SOLVER.BASE_LR", 0.2);

        assertThat(cfg.getDouble("SOLVER.BASE_LR")).isEqualTo(0.2);
        assertThat(cfg.getInt("SOLVER.MAX_EPOCH")).isEqualTo(5);
    }

    @Test
    void overrideBeatsOption() {
        SpinConfig cfg = SpinConfig.defaults().withYaml(file).with("SOLVER.BASE_LR", 0.2)
                .withOverrides(List.of("SOLVER.BASE_LR", "0.05"));

        assertThat(cfg.getDouble("SOLVER.BASE_LR")).isEqualTo(0.05);
        assertThat(cfg.getInt("TRAIN.BATCH_SIZE")).isEqualTo(16);
    }

    @Test
    void laterCallWinsWhateverItsKind() {
        SpinConfig cfg = SpinConfig.defaults().withOverrides(List.of("SOLVER.BASE_LR", "0.05")).withYaml(file);

        assertThat(cfg.getDouble("SOLVER.BASE_LR")).isEqualTo(0.1);
    }

    @Test
    void laterPairOfTheSameKeyWins() {
        SpinConfig cfg = SpinConfig.defaults().withOverrides(List.of("SOLVER.BASE_LR", "0.05", "SOLVER.BASE_LR", "0.5"));

        assertThat(cfg.getDouble("SOLVER.BASE_LR")).isEqualTo(0.5);
    }

    @Test
    void layeringLeavesTheEarlierConfigUnchanged() {
        SpinConfig base = SpinConfig.defaults();
        base.withYaml(file).with("SOLVER.MAX_EPOCH", 7);

        assertThat(base).isEqualTo(SpinConfig.defaults());
        assertThat(base.getDouble("SOLVER.BASE_LR")).isEqualTo(0.01);
    }

    @Test
    void ignoredKeysAccumulateAcrossLayersInOrder() {
        SpinConfig cfg = SpinConfig.defaults()
                .withOverrides(List.of("TRAIN.ENABLE", "False"))
                .with("DATA_LOADER.PIN_MEMORY", false)
                .withOverrides(List.of("TENSORBOARD.ENABLE", "True", "TRAIN.ENABLE", "True"));

        assertThat(cfg.ignoredKeys()).containsExactly("TRAIN.ENABLE", "DATA_LOADER.PIN_MEMORY", "TENSORBOARD.ENABLE");
    }
}
