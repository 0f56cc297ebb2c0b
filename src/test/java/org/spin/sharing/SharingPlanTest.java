package org.spin.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.spin.SpinException;

class SharingPlanTest {

    private static SharingPlan plan(int depth, int rate, SharingMapping mapping, long seed) {
        return SharingPlan.create(depth, rate, SharingDistribution.UNIFORM, mapping, seed);
    }

    @Property
    void everySlotServesExactlyShareRateLayers(@ForAll @IntRange(min = 1, max = 16) int slots,
                                               @ForAll @IntRange(min = 1, max = 6) int rate,
                                               @ForAll SharingMapping mapping, @ForAll long seed) {
        int depth = slots * rate;
        SharingPlan p = plan(depth, rate, mapping, seed);
        assertThat(p.depth()).isEqualTo(depth);
        assertThat(p.numSlots()).isEqualTo(depth / rate);
        for (int s = 0; s < p.numSlots(); s++) {
            assertThat(p.layersOf(s)).hasSize(rate);
        }
    }

    @Property
    void sequentialIsMonotoneWithContiguousGroups(@ForAll @IntRange(min = 1, max = 16) int slots,
                                                  @ForAll @IntRange(min = 1, max = 6) int rate) {
        int depth = slots * rate;
        SharingPlan p = plan(depth, rate, SharingMapping.SEQUENTIAL, 0);
        for (int i = 0; i < depth; i++) {
            assertThat(p.slotOf(i)).isEqualTo(i / rate);
        }
    }

    @Property
    void stridedIsPeriodicInTheSlotCount(@ForAll @IntRange(min = 1, max = 16) int slots,
                                         @ForAll @IntRange(min = 1, max = 6) int rate) {
        int depth = slots * rate;
        SharingPlan p = plan(depth, rate, SharingMapping.STRIDED, 0);
        for (int i = 0; i < depth; i++) {
            assertThat(p.slotOf(i)).isEqualTo(i % slots);
        }
    }

    @Property
    void randomIsReproducibleAndAPermutationOfSequential(@ForAll @IntRange(min = 1, max = 16) int slots,
                                                          @ForAll @IntRange(min = 1, max = 6) int rate,
                                                          @ForAll long seed) {
        int depth = slots * rate;
        SharingPlan a = plan(depth, rate, SharingMapping.RANDOM, seed);
        SharingPlan b = plan(depth, rate, SharingMapping.RANDOM, seed);
        assertThat(a).isEqualTo(b);
        int[] sorted = a.toArray();
        Arrays.sort(sorted);
        assertThat(sorted).isEqualTo(plan(depth, rate, SharingMapping.SEQUENTIAL, 0).toArray());
    }

    @Test
    void randomDependsOnTheSeed() {
        assertThat(plan(32, 2, SharingMapping.RANDOM, 1)).isNotEqualTo(plan(32, 2, SharingMapping.RANDOM, 2));
    }

    @Test
    void publishedWsConvMixerPlanPairsNeighbours() {
        assertThat(plan(8, 2, SharingMapping.SEQUENTIAL, 0).toString()).isEqualTo("0,0,1,1,2,2,3,3");
        assertThat(plan(8, 2, SharingMapping.STRIDED, 0).toString()).isEqualTo("0,1,2,3,0,1,2,3");
    }

    @Test
    void shareRateThatDoesNotDivideDepthNamesTheValidRates() {
        assertThatThrownBy(() -> plan(8, 3, SharingMapping.SEQUENTIAL, 0))
                .isInstanceOf(SpinException.class)
                .hasMessage("share rate 3 does not divide depth 8 for a uniform distribution; valid: 1, 2, 4, 8");
    }

    @Test
    void explicitTableRoundTripsThroughItsText() {
        SharingPlan p = SharingPlan.parse("0,0,1,1");
        assertThat(p.numSlots()).isEqualTo(2);
        assertThat(SharingPlan.parse(p.toString())).isEqualTo(p);
        assertThat(SharingPlan.parse("[0, 1, 0, 1]").layersOf(1)).containsExactly(1, 3);
    }

    @Test
    void explicitTableWithAnUnusedSlotIsRejected() {
        assertThatThrownBy(() -> SharingPlan.parse("0,2,2,0"))
                .isInstanceOf(SpinException.class).hasMessageContaining("never uses slot 1");
    }

    @Test
    void unknownMappingListsTheChoices() {
        assertThatThrownBy(() -> SharingMapping.parse("zigzag"))
                .hasMessage("sharing mapping 'zigzag' is not known; valid: sequential, strided, random, cycle_rev");
    }

    @Test
    void unsharedPlanGivesEveryLayerItsOwnSlot() {
        SharingPlan p = SharingPlan.unshared(5);
        assertThat(p.isShared()).isFalse();
        assertThat(p.toString()).isEqualTo("0,1,2,3,4");
    }

    @Test
    void explicitTableWithANegativeOrOutOfRangeSlotIsRejected() {
        assertThatThrownBy(() -> SharingPlan.parse("-2")).isInstanceOf(SpinException.class)
                .hasMessageContaining("negative slot -2");
        assertThatThrownBy(() -> SharingPlan.parse("0,9")).isInstanceOf(SpinException.class)
                .hasMessageContaining("uses slot 9 but has only 2 layers");
    }
}
