package org.spin.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.spin.SpinException;

/** The space of sharing topologies: every distribution × mapping, and explicit group sizes. */
class SharingPlanTopologyTest {

    private static final SharingDistribution UNIFORM = SharingDistribution.UNIFORM;
    private static final SharingDistribution FRONT = SharingDistribution.FRONT;
    private static final SharingDistribution BACK = SharingDistribution.BACK;
    private static final SharingDistribution MIDDLE = SharingDistribution.MIDDLE;

    private static String plan(int depth, int rate, SharingDistribution d, SharingMapping m) {
        return SharingPlan.create(depth, rate, d, m, 0).toString();
    }

    private static boolean needsUniform(SharingMapping m) {
        return m == SharingMapping.STRIDED || m == SharingMapping.CYCLE_REV;
    }

    private static int[] groupSizesOf(SharingPlan p) {
        int[] sizes = new int[p.numSlots()];
        Arrays.setAll(sizes, s -> p.layersOf(s).length);
        return sizes;
    }

    // --- properties over the whole space -------------------------------------------------------

    /** Depth 4·q·r is valid for every named distribution: S = 4q slots is even and a multiple of 4. */
    @Property
    void everyValidCombinationUsesDepthOverRateSlotsAndServesEveryLayer(
            @ForAll SharingDistribution d, @ForAll SharingMapping m, @ForAll @IntRange(min = 1, max = 6) int quarterSlots,
            @ForAll @IntRange(min = 1, max = 5) int rate, @ForAll long seed) {
        Assume.that(!(needsUniform(m) && d != UNIFORM && rate > 1));
        int depth = 4 * quarterSlots * rate;
        SharingPlan p = SharingPlan.create(depth, rate, d, m, seed);
        assertThat(p.depth()).isEqualTo(depth);
        // the parameter budget (slot count) is the same for every distribution at this rate
        assertThat(p.numSlots()).isEqualTo(depth / rate);
        int[] sizes = groupSizesOf(p);
        assertThat(Arrays.stream(sizes).sum()).isEqualTo(depth);
        assertThat(Arrays.stream(sizes).min().getAsInt()).as("every slot used").isPositive();
        int[] sorted = sizes.clone();
        Arrays.sort(sorted);
        int[] want = d.groupSizes(depth, rate);
        Arrays.sort(want);
        assertThat(sorted).isEqualTo(want);
    }

    @Property
    void namedDistributionSizesSumToDepthWithHalfTheSlotsHeavy(
            @ForAll SharingDistribution d, @ForAll @IntRange(min = 1, max = 8) int quarterSlots,
            @ForAll @IntRange(min = 1, max = 6) int rate) {
        int slots = 4 * quarterSlots;
        int[] sizes = d.groupSizes(slots * rate, rate);
        assertThat(sizes).hasSize(slots);
        assertThat(Arrays.stream(sizes).sum()).isEqualTo(slots * rate);
        int heavy = 2 * rate - 1;
        for (int s = 0; s < slots; s++) {
            int expected = switch (d) {
                case UNIFORM -> rate;
                case FRONT -> s < slots / 2 ? heavy : 1;
                case BACK -> s >= slots / 2 ? heavy : 1;
                case MIDDLE -> s >= slots / 4 && s < 3 * slots / 4 ? heavy : 1;
            };
            assertThat(sizes[s]).as("slot %d", s).isEqualTo(expected);
        }
    }

    @Property
    void aRateIsValidExactlyWhenItDividesTheDepthIntoAWholeSplit(
            @ForAll SharingDistribution d, @ForAll @IntRange(min = 1, max = 40) int depth,
            @ForAll @IntRange(min = 1, max = 40) int rate) {
        Assume.that(rate <= depth);
        int multiple = d == UNIFORM ? 1 : d == MIDDLE ? 4 : 2;
        boolean valid = depth % rate == 0 && (rate == 1 || (depth / rate) % multiple == 0);
        assertThat(List.of(d.validRates(depth).split(", ")).contains(Integer.toString(rate))).isEqualTo(valid);
        if (valid) {
            assertThat(SharingPlan.create(depth, rate, d, SharingMapping.SEQUENTIAL, 0).numSlots())
                    .isEqualTo(depth / rate);
        } else {
            assertThatThrownBy(() -> SharingPlan.create(depth, rate, d, SharingMapping.SEQUENTIAL, 0))
                    .isInstanceOf(SpinException.class).hasMessageContaining("valid: " + d.validRates(depth));
        }
    }

    @Property
    void sequentialGroupsAreContiguousInSlotOrder(@ForAll @Size(min = 1, max = 10) List<@IntRange(min = 1, max = 5) Integer> sizes) {
        int[] g = sizes.stream().mapToInt(Integer::intValue).toArray();
        SharingPlan p = SharingPlan.create(Arrays.stream(g).sum(), g, SharingMapping.SEQUENTIAL, 0);
        int start = 0;
        for (int s = 0; s < g.length; s++) {
            int from = start;
            assertThat(p.layersOf(s)).as("slot %d", s).containsExactly(java.util.stream.IntStream.range(from, from + g[s]).toArray());
            start += g[s];
        }
    }

    @Property
    void randomIsAReproduciblePermutationOfSequentialOfTheSameDistribution(
            @ForAll SharingDistribution d, @ForAll @IntRange(min = 1, max = 4) int quarterSlots,
            @ForAll @IntRange(min = 1, max = 5) int rate, @ForAll long seed) {
        int depth = 4 * quarterSlots * rate;
        SharingPlan random = SharingPlan.create(depth, rate, d, SharingMapping.RANDOM, seed);
        assertThat(SharingPlan.create(depth, rate, d, SharingMapping.RANDOM, seed)).isEqualTo(random);
        int[] sorted = random.toArray();
        Arrays.sort(sorted);
        assertThat(sorted).isEqualTo(SharingPlan.create(depth, rate, d, SharingMapping.SEQUENTIAL, 0).toArray());
    }

    @Property
    void cycleRevCyclesThenRunsTheLastSlotsInReverse(@ForAll @IntRange(min = 1, max = 12) int slots,
                                                    @ForAll @IntRange(min = 1, max = 5) int rate) {
        int depth = slots * rate;
        SharingPlan p = SharingPlan.create(depth, rate, UNIFORM, SharingMapping.CYCLE_REV, 0);
        for (int l = 0; l < depth; l++) {
            assertThat(p.slotOf(l)).as("layer %d", l).isEqualTo(l < depth - slots ? l % slots : depth - 1 - l);
        }
        assertThat(groupSizesOf(p)).containsOnly(rate);
    }

    @Property
    void explicitGroupSizesGiveOneSlotPerSize(@ForAll @Size(min = 1, max = 10) List<@IntRange(min = 1, max = 5) Integer> sizes,
                                              @ForAll long seed) {
        int[] g = sizes.stream().mapToInt(Integer::intValue).toArray();
        SharingPlan p = SharingPlan.create(Arrays.stream(g).sum(), g, SharingMapping.RANDOM, seed);
        assertThat(p.numSlots()).isEqualTo(g.length);
        assertThat(groupSizesOf(p)).isEqualTo(g);
    }

    @Property
    void rateOneIsTheUnsharedTableForEveryDistribution(@ForAll SharingDistribution d,
                                                      @ForAll @IntRange(min = 1, max = 20) int depth) {
        assertThat(SharingPlan.create(depth, 1, d, SharingMapping.SEQUENTIAL, 0)).isEqualTo(SharingPlan.unshared(depth));
    }

    // --- worked examples -----------------------------------------------------------------------

    @Test
    void cycleRevMatchesTakaseAndKiyonosExamples() {
        assertThat(plan(6, 2, UNIFORM, SharingMapping.CYCLE_REV)).isEqualTo("0,1,2,2,1,0");
        assertThat(plan(9, 3, UNIFORM, SharingMapping.CYCLE_REV)).isEqualTo("0,1,2,0,1,2,2,1,0");
        assertThat(plan(8, 2, UNIFORM, SharingMapping.CYCLE_REV)).isEqualTo("0,1,2,3,3,2,1,0");
    }

    @Test
    void frontBackAndMiddleAtDepthEightRateTwo() {
        assertThat(plan(8, 2, FRONT, SharingMapping.SEQUENTIAL)).isEqualTo("0,0,0,1,1,1,2,3");
        assertThat(plan(8, 2, BACK, SharingMapping.SEQUENTIAL)).isEqualTo("0,1,2,2,2,3,3,3");
        // the paper's middle-pyramid: single layers at the ends, the sharing in the middle
        assertThat(plan(8, 2, MIDDLE, SharingMapping.SEQUENTIAL)).isEqualTo("0,1,1,1,2,2,2,3");
    }

    @Test
    void frontAndBackAllowTwoSlots() {
        assertThat(plan(8, 4, FRONT, SharingMapping.SEQUENTIAL)).isEqualTo("0,0,0,0,0,0,0,1");
        assertThat(plan(8, 4, BACK, SharingMapping.SEQUENTIAL)).isEqualTo("0,1,1,1,1,1,1,1");
    }

    @Test
    void explicitGroupSizesFollowTheMapping() {
        int[] g = {3, 1, 1, 3};
        assertThat(SharingPlan.create(8, g, SharingMapping.SEQUENTIAL, 0).toString()).isEqualTo("0,0,0,1,2,3,3,3");
        // equal sizes are uniform, so strided accepts them
        assertThat(SharingPlan.create(6, new int[] {2, 2, 2}, SharingMapping.STRIDED, 0).toString())
                .isEqualTo("0,1,2,0,1,2");
    }

    @Test
    void randomKeepsTheTablesOfExistingSeeds() {
        // tables the uniform random mapping gave before the other topologies existed: a
        // checkpoint's seed must still rebuild its plan
        assertThat(plan(8, 2, UNIFORM, SharingMapping.RANDOM)).isEqualTo("0,3,1,2,3,0,1,2");
        assertThat(SharingPlan.create(8, 2, UNIFORM, SharingMapping.RANDOM, 7).toString()).isEqualTo("0,1,3,0,2,1,3,2");
        assertThat(SharingPlan.create(32, 4, UNIFORM, SharingMapping.RANDOM, 1).toString())
                .isEqualTo("4,7,6,2,7,1,7,0,2,5,3,2,0,6,3,3,4,7,1,5,4,4,6,2,6,5,3,1,0,1,0,5");
    }

    // --- invalid combinations, with their exact messages ---------------------------------------

    @Test
    void frontWithAnOddSlotCountIsRejected() {
        assertThatThrownBy(() -> plan(8, 8, FRONT, SharingMapping.SEQUENTIAL)).isInstanceOf(SpinException.class)
                .hasMessage("share rate 8 at depth 8 gives 1 slot; a front distribution needs an even number of slots"
                        + " (half serve 2r-1 layers, half one layer); valid: 1, 2, 4");
        assertThatThrownBy(() -> plan(6, 2, BACK, SharingMapping.SEQUENTIAL)).isInstanceOf(SpinException.class)
                .hasMessage("share rate 2 at depth 6 gives 3 slots; a back distribution needs an even number of slots"
                        + " (half serve 2r-1 layers, half one layer); valid: 1, 3");
    }

    @Test
    void middleWithASlotCountNotAMultipleOfFourIsRejected() {
        assertThatThrownBy(() -> plan(12, 2, MIDDLE, SharingMapping.SEQUENTIAL)).isInstanceOf(SpinException.class)
                .hasMessage("share rate 2 at depth 12 gives 6 slots; a middle distribution needs a multiple of 4 slots"
                        + " (a quarter at each end serve one layer, the middle half 2r-1); valid: 1, 3");
    }

    @Test
    void aRateThatDoesNotDivideTheDepthNamesTheDistributionsValidRates() {
        assertThatThrownBy(() -> plan(32, 3, MIDDLE, SharingMapping.SEQUENTIAL)).isInstanceOf(SpinException.class)
                .hasMessage("share rate 3 does not divide depth 32 for a middle distribution; valid: 1, 2, 4, 8");
        assertThatThrownBy(() -> plan(8, 9, FRONT, SharingMapping.SEQUENTIAL)).isInstanceOf(SpinException.class)
                .hasMessage("share rate 9 must be between 1 and depth 8; valid: 1, 2, 4");
    }

    @Test
    void stridedNeedsAUniformDistribution() {
        assertThatThrownBy(() -> plan(8, 2, FRONT, SharingMapping.STRIDED)).isInstanceOf(SpinException.class)
                .hasMessage("strided mapping needs a uniform distribution (layer l uses slot l mod S, so every slot"
                        + " serves D/S layers); the front distribution gives group sizes 3,3,1,1");
    }

    @Test
    void cycleRevNeedsAUniformDistribution() {
        assertThatThrownBy(() -> SharingPlan.create(8, new int[] {3, 1, 1, 3}, SharingMapping.CYCLE_REV, 0))
                .isInstanceOf(SpinException.class)
                .hasMessage("cycle_rev mapping needs a uniform distribution (it cycles through the S slots and runs"
                        + " the last S layers in reverse, so every slot serves D/S layers); got group sizes 3,1,1,3");
    }

    @Test
    void groupSizesThatDoNotSumToTheDepthAreRejected() {
        assertThatThrownBy(() -> SharingPlan.create(8, new int[] {3, 1, 1, 2}, SharingMapping.SEQUENTIAL, 0))
                .isInstanceOf(SpinException.class)
                .hasMessage("group sizes 3,1,1,2 sum to 7 but depth is 8; each size is how many layers a slot"
                        + " serves, so they must add up to the depth");
    }

    @Test
    void aNonPositiveGroupSizeIsRejected() {
        assertThatThrownBy(() -> SharingPlan.create(8, new int[] {4, 0, 4}, SharingMapping.SEQUENTIAL, 0))
                .isInstanceOf(SpinException.class)
                .hasMessage("group sizes 4,0,4 hold 0 for slot 1; every slot must serve at least one layer");
        assertThatThrownBy(() -> SharingPlan.create(8, new int[0], SharingMapping.SEQUENTIAL, 0))
                .isInstanceOf(SpinException.class)
                .hasMessage("group sizes are empty; give one positive size per slot, summing to depth 8");
    }

    @Test
    void unknownDistributionListsTheChoices() {
        assertThatThrownBy(() -> SharingDistribution.parse("pyramid"))
                .hasMessage("sharing distribution 'pyramid' is not known; valid: uniform, front, back, middle");
    }
}
