package org.spin.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.spin.report.Runs.done;
import static org.spin.report.Runs.failed;
import static org.spin.report.Runs.fusion;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.sweep.RunResult;

class AblationsTest {

    private static final String MAP = "CONVMIXER.WEIGHT_SHARE.SHARING_MAPPING";
    private static final String RATE = "CONVMIXER.WEIGHT_SHARE.SHARE_RATE";
    private static final String FN = "CONVMIXER.WEIGHT_SHARE.REDUCTION_FN";

    @TempDir
    Path tmp;

    @Test
    void theSyntheticSweepGetsAShareRateAndAMappingTableWithTheirDifferences() {
        SyntheticSweep.write(tmp);
        List<Ablation> ablations = Ablations.of(RunResults.read(tmp).runs());
        assertThat(ablations).extracting(Ablation::axis).containsExactly(AblationAxis.SHARE_RATE, AblationAxis.MAPPING);

        Ablation rate = ablations.get(0);
        assertThat(rate.values()).containsExactly(1L, 2L);
        assertThat(rate.groups()).hasSize(4); // 2 widths x 2 mappings, unshared runs included
        Ablation.ValueSummary two = rate.summaries().get(1);
        assertThat(two.groups()).isEqualTo(4);
        assertThat(two.deltaToFirst().mean()).isCloseTo(-0.0075, within(1e-9));
        assertThat(two.deltaToFirst().std()).isCloseTo(Math.sqrt(0.0025 * 0.0025 * 4 / 3), within(1e-9));
        assertThat(rate.summaries().get(0).deltaToFirst()).isNull();

        Ablation mapping = ablations.get(1);
        assertThat(mapping.values()).containsExactly("sequential", "strided");
        // Shared runs only (the unshared ones have no mapping to compare), and the failed run is no seed.
        assertThat(mapping.groups()).hasSize(2).allSatisfy(g -> assertThat(g.byValue().get("strided")).hasSize(2));
        assertThat(mapping.summaries().get(1).deltaToFirst().mean()).isCloseTo(0.005, within(1e-9));
    }

    @Test
    void anAxisWithOneValueGetsNoTable() {
        List<Ablation> ablations = Ablations.of(List.of(
                done("a", 0.80, true, RATE, 2, MAP, "sequential"),
                done("b", 0.81, true, RATE, 2, MAP, "strided")));
        assertThat(ablations).extracting(Ablation::axis).containsExactly(AblationAxis.MAPPING);
    }

    @Test
    void failedRunsDoNotMakeAnAxisVary() {
        List<Ablation> ablations = Ablations.of(List.of(
                done("a", 0.80, true, MAP, "sequential"),
                failed("b", MAP, "strided")));
        assertThat(ablations).isEmpty();
    }

    @Test
    void theBaselineValueComesFirstWhateverOrderTheRunsCameIn() {
        List<Ablation> ablations = Ablations.of(List.of(
                done("a", 0.80, true, MAP, "random"),
                done("b", 0.81, true, MAP, "cycle_rev"),
                done("c", 0.82, true, MAP, "sequential"),
                done("d", 0.82, true, FN, "mean"),
                done("e", 0.82, true, FN, null)));
        assertThat(ablations.get(0).values()).containsExactly("sequential", "random", "cycle_rev");
        assertThat(ablations.get(1).values()).containsExactlyElementsOf(Arrays.asList(null, "mean")); // none = no fusion
    }

    @Test
    void anAxisWithoutMatchedPairsGetsATableWithNoGroups() {
        Ablation mapping = Ablations.of(List.of(
                done("a", 0.80, true, "W", 64, MAP, "sequential"),
                done("b", 0.81, true, "W", 128, MAP, "strided"))).get(0);
        assertThat(mapping.groups()).isEmpty();
        assertThat(mapping.summaries()).allSatisfy(s -> {
            assertThat(s.groups()).isZero();
            assertThat(s.deltaToFirst()).isNull();
        });
    }

    @Test
    void fusionRunsAreComparedWithTheSameSharedModelTrainedFromScratch() {
        List<RunResult> runs = List.of(
                done("w64_r1", 0.90, false, "W", 64, RATE, 1),
                done("w64_seq_s0", 0.86, true, "W", 64, RATE, 2, MAP, "sequential", "RNG_SEED", 0),
                done("w64_seq_s1", 0.88, true, "W", 64, RATE, 2, MAP, "sequential", "RNG_SEED", 1),
                done("w64_strided", 0.85, true, "W", 64, RATE, 2, MAP, "strided"),
                fusion("w64_seq_fuse_s0", 0.89, "W", 64, RATE, 2, MAP, "sequential", FN, "mean", "RNG_SEED", 0),
                fusion("w64_seq_fuse_s1", 0.91, "W", 64, RATE, 2, MAP, "sequential", FN, "mean", "RNG_SEED", 1));
        Ablation reduction = Ablations.of(runs).stream().filter(a -> a.axis() == AblationAxis.REDUCTION).findFirst().orElseThrow();

        assertThat(reduction.values()).containsExactlyElementsOf(Arrays.asList(null, "mean"));
        // One matched group: the sequential runs; the strided one has no fusion twin, the unshared none.
        assertThat(reduction.groups()).singleElement().satisfies(g -> {
            assertThat(g.byValue().get(null)).extracting(RunResult::run).containsExactly("w64_seq_s0", "w64_seq_s1");
            assertThat(g.top1("mean").mean()).isCloseTo(0.90, within(1e-9));
        });
        assertThat(reduction.summaries().get(1).deltaToFirst().mean()).isCloseTo(0.03, within(1e-9));
        assertThat(AblationTable.html(reduction)).contains("<th>none (from scratch)</th>").contains("<th>mean</th>");
    }

    @Test
    void aFusionRunIsNotMatchedWithScratchRunsOfAnotherMapping() {
        // The fusion runs leave the mapping out (the default) while the scratch runs name theirs, and
        // the other way round: a run that shares weights is never the unshared baseline of every mapping.
        List<RunResult> fusionUnnamed = List.of(
                done("seq", 0.86, true, "W", 64, RATE, 2, MAP, "sequential"),
                done("strided", 0.85, true, "W", 64, RATE, 2, MAP, "strided"),
                fusion("fuse", 0.89, "W", 64, RATE, 2, FN, "mean"));
        List<RunResult> scratchUnnamed = List.of(
                done("plain", 0.86, true, "W", 64, RATE, 2),
                fusion("fuse_seq", 0.89, "W", 64, RATE, 2, MAP, "sequential", FN, "mean"),
                fusion("fuse_strided", 0.88, "W", 64, RATE, 2, MAP, "strided", FN, "mean"));
        for (List<RunResult> runs : List.of(fusionUnnamed, scratchUnnamed)) {
            Ablation reduction = Ablations.of(runs).stream().filter(a -> a.axis() == AblationAxis.REDUCTION).findFirst().orElseThrow();
            assertThat(reduction.groups()).isEmpty();
        }
    }

    @Test
    void unsharedRunsAreStillTheShareRateBaselineOfEveryMapping() {
        List<RunResult> runs = List.of(
                done("r1", 0.90, false, "W", 64, RATE, 1),
                done("seq", 0.86, true, "W", 64, RATE, 2, MAP, "sequential"),
                done("strided", 0.85, true, "W", 64, RATE, 2, MAP, "strided"));
        Ablation rate = Ablations.of(runs).get(0);
        assertThat(rate.axis()).isEqualTo(AblationAxis.SHARE_RATE);
        assertThat(rate.groups()).hasSize(2).allSatisfy(g -> assertThat(g.byValue().get(1)).extracting(RunResult::run).containsExactly("r1"));
    }

    @Test
    void fusionRunsAreNotComparedWithTheirTeacherInTheShareRateTable() {
        List<RunResult> runs = List.of(
                done("r1", 0.89, false, "W", 64, RATE, 1),
                done("seq", 0.86, true, "W", 64, RATE, 2, MAP, "sequential"),
                fusion("fuse2", 0.90, "W", 64, RATE, 2, MAP, "sequential", FN, "mean"),
                fusion("fuse4", 0.88, "W", 64, RATE, 4, MAP, "sequential", FN, "mean"));
        Ablation rate = Ablations.of(runs).stream().filter(a -> a.axis() == AblationAxis.SHARE_RATE).findFirst().orElseThrow();
        // rate 1 vs 2 from scratch, and the fusion runs at 2 vs 4 among themselves
        assertThat(rate.groups()).hasSize(2);
        assertThat(rate.groups().get(0).byValue()).containsOnlyKeys(1, 2);
        assertThat(rate.groups().get(1).byValue()).containsOnlyKeys(2, 4);
        assertThat(rate.groups().get(1).byValue().values().stream().flatMap(List::stream)).allMatch(RunResult::fusion);
    }
}
