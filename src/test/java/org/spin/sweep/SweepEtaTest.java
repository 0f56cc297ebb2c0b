package org.spin.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SweepEtaTest {

    @Test
    void theRemainingWorkTakesTheObservedSecondsPerUnit() {
        SweepEta eta = new SweepEta();
        assertThat(eta.secondsFor(100)).isEmpty();
        eta.observe(4e6, 100); // a small run
        eta.observe(12e6, 300); // one three times its size
        assertThat(eta.secondsFor(8e6).getAsDouble()).isCloseTo(200, within(1e-9));
        eta.observe(Double.NaN, 50); // a run whose cost is unknown teaches nothing
        eta.observe(1e6, 0);
        assertThat(eta.secondsFor(8e6).getAsDouble()).isCloseTo(200, within(1e-9));
    }

    @Test
    void durationsReadAsHoursAndMinutes() {
        assertThat(SweepEta.format(20)).isEqualTo("<1m");
        assertThat(SweepEta.format(7 * 60 + 10)).isEqualTo("7m");
        assertThat(SweepEta.format(3900)).isEqualTo("1h05m");
    }
}
