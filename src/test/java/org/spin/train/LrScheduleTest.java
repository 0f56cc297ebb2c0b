package org.spin.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LrScheduleTest {

    private final LrSchedule.OneCycle oneCycle = new LrSchedule.OneCycle(0.01, 10);

    @Test
    void oneCyclePassesThroughTheReferenceBreakpoints() {
        assertThat(oneCycle.at(0)).isEqualTo(0);
        assertThat(oneCycle.at(4)).isCloseTo(0.01, within(1e-12));
        assertThat(oneCycle.at(8)).isCloseTo(0.0005, within(1e-12));
        assertThat(oneCycle.at(10)).isEqualTo(0);
    }

    @Test
    void oneCycleIsLinearBetweenBreakpointsInFractionalEpochs() {
        assertThat(oneCycle.at(2)).isCloseTo(0.005, within(1e-12));
        assertThat(oneCycle.at(6)).isCloseTo((0.01 + 0.0005) / 2, within(1e-12));
        assertThat(oneCycle.at(9)).isCloseTo(0.00025, within(1e-12));
        assertThat(oneCycle.at(0.5)).isCloseTo(0.00125, within(1e-12));
    }

    @Test
    void oneCycleUsesExactFractionsWhenEpochsAreNotAMultipleOfFive() {
        LrSchedule.OneCycle oneEpoch = new LrSchedule.OneCycle(1, 1);
        assertThat(oneEpoch.at(0.4)).isCloseTo(1, within(1e-12));
        assertThat(oneEpoch.at(0.8)).isCloseTo(0.05, within(1e-12));
    }
}
