package org.spin.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.spin.report.Runs.done;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spin.sweep.RunResult;

class MatchedGroupsTest {

    private static final String MAP = "CONVMIXER.WEIGHT_SHARE.SHARING_MAPPING";

    private static List<String> names(List<RunResult> runs) {
        return runs.stream().map(RunResult::run).toList();
    }

    @Test
    void runsEqualInAllOtherSettingsFormOneGroupAndSeedsFoldIntoOneCell() {
        List<MatchedGroup> groups = MatchedGroups.of(List.of(
                done("w64-seq-s0", 0.80, true, "W", 64, MAP, "sequential", "RNG_SEED", 0),
                done("w64-seq-s1", 0.82, true, "W", 64, MAP, "sequential", "RNG_SEED", 1),
                done("w64-str-s0", 0.83, true, "W", 64, MAP, "strided", "RNG_SEED", 0),
                done("w128-seq-s0", 0.90, true, "W", 128, MAP, "sequential", "RNG_SEED", 0),
                done("w128-str-s1", 0.91, true, "W", 128, MAP, "strided", "RNG_SEED", 1)), MAP);

        assertThat(groups).hasSize(2);
        MatchedGroup w64 = groups.get(0);
        assertThat(w64.others()).isEqualTo(Map.of("W", 64));
        assertThat(names(w64.byValue().get("sequential"))).containsExactly("w64-seq-s0", "w64-seq-s1");
        assertThat(names(w64.byValue().get("strided"))).containsExactly("w64-str-s0");
        assertThat(w64.top1("sequential").mean()).isCloseTo(0.81, within(1e-12));
        assertThat(w64.isMatched()).isTrue();
        // Different seeds still match: the seed is not one of the settings that must be equal.
        assertThat(groups.get(1).byValue()).containsOnlyKeys("sequential", "strided");
    }

    @Test
    void theUnsharedRunIsTheRateOneBaselineOfEverySharedGroupOfItsShape() {
        String rate = "CONVMIXER.WEIGHT_SHARE.SHARE_RATE";
        // as spin sweep writes them: the unshared run has no mapping
        List<MatchedGroup> groups = MatchedGroups.of(List.of(
                done("w64_r1", 0.85, false, "W", 64, rate, 1),
                done("w64_r2_seq", 0.83, true, "W", 64, rate, 2, MAP, "sequential"),
                done("w64_r2_str", 0.84, true, "W", 64, rate, 2, MAP, "strided"),
                done("w32_r1", 0.80, false, "W", 32, rate, 1)), rate);
        assertThat(groups).hasSize(3);
        assertThat(groups.get(0).others()).isEqualTo(Map.of("W", 64, MAP, "sequential"));
        assertThat(names(groups.get(0).byValue().get(1))).containsExactly("w64_r1");
        assertThat(names(groups.get(1).byValue().get(1))).containsExactly("w64_r1");
        assertThat(groups.get(0).isMatched()).isTrue();
        assertThat(groups.get(2).isMatched()).as("w32 has no shared run").isFalse();
    }

    @Test
    void withoutASeedAxisEachValueHoldsOneRun() {
        List<MatchedGroup> groups = MatchedGroups.of(List.of(
                done("a", 0.80, true, "W", 64, MAP, "sequential"),
                done("b", 0.81, true, "W", 64, MAP, "strided")), MAP);
        assertThat(groups).singleElement().satisfies(g -> {
            assertThat(g.byValue().get("sequential")).hasSize(1);
            assertThat(g.top1("strided").hasSpread()).isFalse();
        });
    }

    @Test
    void runsDifferingInAnotherSettingDoNotMatch() {
        List<MatchedGroup> groups = MatchedGroups.of(List.of(
                done("a", 0.80, true, "W", 64, MAP, "sequential"),
                done("b", 0.81, true, "W", 128, MAP, "strided")), MAP);
        assertThat(groups).hasSize(2).noneMatch(MatchedGroup::isMatched);
    }

    @Test
    void runsWithoutTheAxisAreLeftOut() {
        List<MatchedGroup> groups = MatchedGroups.of(List.of(
                done("a", 0.80, true, "W", 64, MAP, "sequential"),
                done("other-arch", 0.70, true, "W", 64)), MAP);
        assertThat(groups).singleElement().satisfies(g -> assertThat(g.byValue()).containsOnlyKeys("sequential"));
    }
}
