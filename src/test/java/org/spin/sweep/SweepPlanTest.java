package org.spin.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.SpinException;
import org.spin.config.SpinConfig;

class SweepPlanTest {

    @TempDir
    Path tmp;

    private SweepSpec spec(String yaml) throws Exception {
        Path f = tmp.resolve("s.yaml");
        Files.writeString(f, yaml);
        return SweepSpec.read(f);
    }

    private static SpinConfig configOf(Map<String, Object> settings) {
        SpinConfig c = SpinConfig.defaults();
        for (Map.Entry<String, Object> e : settings.entrySet()) {
            c = c.with(e.getKey(), e.getValue());
        }
        if (settings.containsKey("CONVMIXER.WEIGHT_SHARE.SHARE_RATE")) {
            c = c.with("CONVMIXER.WEIGHT_SHARE.ENABLE", c.getInt("CONVMIXER.WEIGHT_SHARE.SHARE_RATE") > 1);
        }
        return c;
    }

    private static List<String> names(List<SweepRun> runs) {
        return runs.stream().map(SweepRun::name).toList();
    }

    @Test
    void aGridIsItsProductAndUnsharedRunsAppearOnce() throws Exception {
        List<SweepRun> runs = SweepPlan.runs(spec("""
                grid:
                  CONVMIXER.CHANNEL: [32, 64]
                  CONVMIXER.WEIGHT_SHARE.SHARE_RATE: [1, 2]
                  CONVMIXER.WEIGHT_SHARE.SHARING_MAPPING: [sequential, strided]
                points:
                  - {CONVMIXER.CHANNEL: 32}
                """), SweepPlanTest::configOf);
        // 2 widths x (1 unshared + 2 shared); the point is the unshared w32 again
        assertThat(names(runs)).containsExactly("w32_r1", "w32_r2_sequential", "w32_r2_strided", "w64_r1",
                "w64_r2_sequential", "w64_r2_strided");
    }

    @Test
    void theSameModelFromTwoGridsIsOneRunNamedWithItsSeed() throws Exception {
        List<SweepRun> runs = SweepPlan.runs(spec("""
                grids:
                  - CONVMIXER.CHANNEL: [16]
                  - CONVMIXER.CHANNEL: [16]
                    RNG_SEED: [0, 1]
                """), SweepPlanTest::configOf);
        assertThat(names(runs)).containsExactly("w16_s0", "w16_s1");
    }

    @Test
    void fusionRunsFollowTheirTeachers() throws Exception {
        List<SweepRun> runs = SweepPlan.runs(spec("""
                grid:
                  CONVMIXER.WEIGHT_SHARE.SHARE_RATE: [2, 1]
                  CONVMIXER.WEIGHT_SHARE.REDUCTION_FN: [mean, choose_first]
                  RNG_SEED: [0, 1]
                """), SweepPlanTest::configOf);
        assertThat(names(runs)).containsExactly("r1_s0", "r1_s1", "r2_fuse-mean_s0", "r2_fuse-mean_s1",
                "r2_fuse-choose_first_s0", "r2_fuse-choose_first_s1");
        assertThat(runs.get(2).teacher()).isEqualTo("r1_s0");
        assertThat(runs.get(5).teacher()).isEqualTo("r1_s1");
        assertThat(runs.get(0).teacher()).isNull();
    }

    @Test
    void aFusionRunWithoutItsTeacherIsRefused() throws Exception {
        SweepSpec s = spec("""
                grid:
                  CONVMIXER.WEIGHT_SHARE.SHARE_RATE: [2]
                  CONVMIXER.WEIGHT_SHARE.REDUCTION_FN: [mean]
                """);
        assertThatThrownBy(() -> SweepPlan.runs(s, SweepPlanTest::configOf)).isInstanceOf(SpinException.class)
                .hasMessageContaining("fusion run r2_fuse-mean needs its teacher, the unshared run {}");
    }

    @Test
    void shardsPartitionTheRuns() throws Exception {
        List<SweepRun> runs = SweepPlan.runs(spec("""
                grid:
                  CONVMIXER.CHANNEL: [8, 16, 24, 32, 40]
                  RNG_SEED: [0, 1, 2]
                """), SweepPlanTest::configOf);
        Set<String> union = new java.util.HashSet<>();
        int total = 0;
        for (int i = 0; i < 4; i++) {
            List<SweepRun> shard = SweepPlan.shard(runs, i, 4);
            total += shard.size();
            union.addAll(names(shard));
            for (SweepRun r : shard) {
                assertThat(SweepPlan.shardOf(runs, r.name(), 4)).isEqualTo(i);
            }
        }
        assertThat(total).isEqualTo(15);
        assertThat(union).hasSize(15);
    }

    @Test
    void badSweepFilesAndShardsAreOneLineErrors() throws Exception {
        assertThatThrownBy(() -> spec("grids: 3\n")).hasMessageContaining("grids must be a list of grids");
        assertThatThrownBy(() -> spec("gird:\n  RNG_SEED: [1]\n")).hasMessageContaining("unknown key 'gird'");
        assertThatThrownBy(() -> spec("set:\n  RNG_SEED: 1\n")).hasMessageContaining("defines no runs");
        assertThatThrownBy(() -> SweepPlan.runs(spec("grid:\n  CONVMIXER.CHANEL: [1]\n"), SweepPlanTest::configOf))
                .hasMessageContaining("CONVMIXER.CHANNEL");
        assertThatThrownBy(() -> SweepPlan.parseShard("4/4")).hasMessage(
                "--shard 4/4 must be i/n with 0 <= i < n, e.g. 0/4 (0-based)");
        assertThat(SweepPlan.parseShard("1/3")).containsExactly(1, 3);
    }

    @Test
    void theExampleSweepsPlan() throws Exception {
        try (var files = Files.list(Path.of("configs/sweeps"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).collect(Collectors.toList())) {
                SweepSpec s = SweepSpec.read(f);
                assertThat(s.grids().size() + s.points().size()).as(f.toString()).isPositive();
            }
        }
    }
}
