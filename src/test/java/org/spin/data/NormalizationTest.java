package org.spin.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spin.SpinException;

class NormalizationTest {

    private static final float EPS = 1e-6f;

    @Test
    void singleMeanAndStdApplyToEveryChannel() {
        Normalization n = new Normalization(1, 1, List.of(0.5), List.of(0.25));

        float[] out = n.normalize(new byte[] {0, (byte) 255, 51});

        assertThat(out[0]).isCloseTo(-2f, within(EPS));
        assertThat(out[1]).isCloseTo(2f, within(EPS));
        assertThat(out[2]).isCloseTo(-1.2f, within(EPS)); // 51/255 = 0.2
    }

    @Test
    void grayIsReplicatedToThreeChannelsWithPerChannelStatistics() {
        Normalization n = new Normalization(1, 3, List.of(0.1, 0.2, 0.3), List.of(0.5, 1.0, 2.0));

        float[] out = n.normalize(new byte[] {(byte) 255, 0});

        assertThat(out).hasSize(6);
        assertThat(out[0]).isCloseTo(1.8f, within(EPS));
        assertThat(out[1]).isCloseTo(-0.2f, within(EPS));
        assertThat(out[2]).isCloseTo(0.8f, within(EPS));
        assertThat(out[3]).isCloseTo(-0.2f, within(EPS));
        assertThat(out[4]).isCloseTo(0.35f, within(EPS));
        assertThat(out[5]).isCloseTo(-0.15f, within(EPS));
    }

    @Test
    void colourChannelsUseTheirOwnStatistics() {
        Normalization n = new Normalization(3, 3, List.of(0, 0.5, 1), List.of(1));

        float[] out = n.normalize(new byte[] {(byte) 255, (byte) 255, (byte) 255});

        assertThat(out).containsExactly(new float[] {1f, 0.5f, 0f}, within(EPS));
    }

    @Test
    void grayStaysOneChannelWhenModelWantsOne() {
        Normalization n = new Normalization(1, 1, List.of(0), List.of(1));

        assertThat(n.normalize(new byte[] {(byte) 255, 0})).containsExactly(1f, 0f);
    }

    @Test
    void writesAtTheGivenOffset() {
        Normalization n = new Normalization(1, 1, List.of(0), List.of(1));
        float[] dst = new float[4];

        n.normalize(new byte[] {(byte) 255, (byte) 255}, dst, 2);

        assertThat(dst).containsExactly(0f, 0f, 1f, 1f);
    }

    @Test
    void colourToGrayIsRejected() {
        assertThatThrownBy(() -> new Normalization(3, 1, List.of(0.5), List.of(0.5)))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining("DATA.INPUT_CHANNEL_NUM 1")
                .hasMessageContaining("3-channel");
    }

    @Test
    void grayToTwoChannelsIsRejected() {
        assertThatThrownBy(() -> new Normalization(1, 2, List.of(0.5), List.of(0.5)))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining("or 3 (gray replicated)");
    }

    @Test
    void meanOfWrongLengthIsRejected() {
        assertThatThrownBy(() -> new Normalization(1, 3, List.of(0.5, 0.5), List.of(0.5)))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining("DATA.MEAN [0.5, 0.5] has 2 values; expected 1 or 3");
    }

    @Test
    void nonPositiveStdIsRejected() {
        assertThatThrownBy(() -> new Normalization(1, 1, List.of(0.5), List.of(0)))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining("DATA.STD [0]");
    }
}
