package org.spin.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class MeanStdTest {

    @Test
    void theSpreadIsTheSampleStandardDeviation() {
        MeanStd m = MeanStd.of(List.of(2, 4, 4, 4, 5, 5, 7, 9));
        assertThat(m.n()).isEqualTo(8);
        assertThat(m.mean()).isEqualTo(5.0);
        assertThat(m.std()).isCloseTo(Math.sqrt(32.0 / 7), within(1e-12)); // n - 1, not n
    }

    @Test
    void oneValueHasNoSpreadRatherThanZero() {
        MeanStd m = MeanStd.of(List.of(0.86));
        assertThat(m.mean()).isEqualTo(0.86);
        assertThat(m.std()).isNaN();
        assertThat(m.hasSpread()).isFalse();
    }

    @Test
    void noValuesIsAnError() {
        assertThatThrownBy(() -> MeanStd.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
