package org.spin.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageSetTest {

    @Test
    void sampleCopiesOneImage() {
        ImageSet set = new ImageSet(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, new int[] {0, 1}, 2, 1, 2, 2,
                List.of("a", "b"));

        assertThat(set.sampleSize()).isEqualTo(4);
        assertThat(set.sample(1)).containsExactly(5, 6, 7, 8);
        assertThat(set.numClasses()).isEqualTo(2);
    }

    @Test
    void pixelCountMustMatchShape() {
        assertThatThrownBy(() -> new ImageSet(new byte[7], new int[2], 2, 1, 2, 2, List.of("a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("7 bytes");
    }

    @Test
    void labelCountMustMatchN() {
        assertThatThrownBy(() -> new ImageSet(new byte[8], new int[3], 2, 1, 2, 2, List.of("a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 entries");
    }

    @Test
    void labelsMustIndexClassNames() {
        assertThatThrownBy(() -> new ImageSet(new byte[8], new int[] {0, 2}, 2, 1, 2, 2, List.of("a", "b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label 2 at index 1");
    }
}
