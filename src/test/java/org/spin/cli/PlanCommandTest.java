package org.spin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.spin.cli.CliTest.Outcome;

/** {@code spin plan} as a user meets it: the table, the line to paste, one-line errors. */
class PlanCommandTest {

    private static void assertOneLineError(Outcome o, String message) {
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.out()).isEmpty();
        assertThat(o.err().strip()).isEqualTo("spin: " + message);
    }

    @Test
    void printsEachLayersSlotAndGroupThenThePlanLine() {
        Outcome o = CliTest.run("plan", "--depth", "6", "--share-rate", "2", "--mapping", "cycle_rev");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).isEqualTo("""
                depth 6, share rate 2, uniform distribution, cycle_rev mapping: 3 slots for 6 layers
                layer  slot  group (layers sharing the slot)
                    0     0  0,5
                    1     1  1,4
                    2     2  2,3
                    3     2  2,3
                    4     1  1,4
                    5     0  0,5
                WEIGHT_SHARE.PLAN: [0,1,2,2,1,0]
                """);
    }

    @Test
    void groupSizesGiveTheTableAndTheRandomSeedIsNamed() {
        Outcome o = CliTest.run("plan", "--depth", "8", "--group-sizes", "3,1,1,3", "--mapping", "random", "--seed", "3");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).startsWith("depth 8, group sizes 3,1,1,3, random mapping (seed 3): 4 slots for 8 layers\n")
                .endsWith("WEIGHT_SHARE.PLAN: [0,2,1,3,0,0,3,3]\n");
    }

    @Test
    void theDistributionOptionSelectsTheGroupSizes() {
        Outcome o = CliTest.run("plan", "--depth", "8", "--share-rate", "2", "--distribution", "middle");
        assertThat(o.out()).endsWith("WEIGHT_SHARE.PLAN: [0,1,1,1,2,2,2,3]\n");
    }

    @Test
    void anInvalidCombinationIsAOneLineErrorSayingWhy() {
        assertOneLineError(CliTest.run("plan", "--depth", "8", "--share-rate", "2", "--distribution", "back",
                "--mapping", "strided"), "strided mapping needs a uniform distribution (layer l uses slot l mod S, so"
                + " every slot serves D/S layers); the back distribution gives group sizes 1,1,3,3");
    }

    @Test
    void neitherRateNorGroupSizesIsAnError() {
        assertOneLineError(CliTest.run("plan", "--depth", "8"),
                "plan: give --share-rate R (layers per slot) or --group-sizes N,N,...");
    }

    @Test
    void groupSizesWithARateOrADistributionIsAnError() {
        String message = "plan: --group-sizes replaces --share-rate and --distribution (the sizes are the distribution);"
                + " give one or the other";
        assertOneLineError(CliTest.run("plan", "--depth", "8", "--share-rate", "2", "--group-sizes", "4,4"), message);
        assertOneLineError(CliTest.run("plan", "--depth", "8", "--distribution", "front", "--group-sizes", "4,4"), message);
    }

    @Test
    void anUnknownMappingListsTheChoices() {
        assertOneLineError(CliTest.run("plan", "--depth", "8", "--share-rate", "2", "--mapping", "zigzag"),
                "sharing mapping 'zigzag' is not known; valid: sequential, strided, random, cycle_rev");
    }
}
