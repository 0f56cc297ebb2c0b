package org.spin.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spin.config.SpinConfig;

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

    @Test
    void aScheduleThatCannotRunIsRefusedNamingItsKey() {
        SpinConfig cfg = SpinConfig.defaults().with("SOLVER.MAX_EPOCH", 10);
        assertThatThrownBy(() -> LrSchedule.from(cfg.with("SOLVER.WARMUP_EPOCHS", 10.0)))
                .hasMessageStartingWith("SOLVER.WARMUP_EPOCHS 10.0 must be in [0, SOLVER.MAX_EPOCH 10)");
        assertThatThrownBy(() -> LrSchedule.from(cfg.with("SOLVER.LR_POLICY", "cosine").with("SOLVER.COSINE_END_LR", 0.02)))
                .hasMessage("SOLVER.COSINE_END_LR 0.02 must be below the base rate 0.01 (SOLVER.BASE_LR)");
        SpinConfig steps = cfg.with("SOLVER.LR_POLICY", "steps_with_relative_lrs");
        assertThatThrownBy(() -> LrSchedule.from(steps.with("SOLVER.STEPS", List.of(2.0, 5.0))))
                .hasMessageStartingWith("SOLVER.STEPS [2.0, 5.0] must start at epoch 0");
        assertThatThrownBy(() -> LrSchedule.from(steps.with("SOLVER.STEPS", List.of(0.0, 12.0))))
                .hasMessageContaining("must increase and stay below SOLVER.MAX_EPOCH 10");
        assertThatThrownBy(() -> LrSchedule.from(steps.with("SOLVER.STEPS", List.of(0.0, 5.0))
                .with("SOLVER.LRS", List.of(1.0)))).hasMessageStartingWith("SOLVER.LRS [1.0] needs one factor per");
    }

    @Test
    void theWarmupRampsToWhereThePolicyIsAtItsEnd() {
        SpinConfig cfg = SpinConfig.defaults().with("SOLVER.MAX_EPOCH", 10).with("SOLVER.LR_POLICY", "constant")
                .with("SOLVER.BASE_LR", 0.5).with("SOLVER.WARMUP_EPOCHS", 2.0).with("SOLVER.WARMUP_START_LR", 0.1);
        LrSchedule s = LrSchedule.from(cfg);
        assertThat(s.at(0)).isCloseTo(0.1, within(1e-12));
        assertThat(s.at(1)).isCloseTo(0.3, within(1e-12));
        assertThat(s.at(2)).isCloseTo(0.5, within(1e-12));
        assertThat(s.at(7)).isCloseTo(0.5, within(1e-12));
    }
}
