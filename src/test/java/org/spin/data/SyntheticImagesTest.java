package org.spin.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SyntheticImagesTest {

    @Test
    void sameSeedGivesIdenticalImages() {
        ImageSet a = SyntheticImages.generate(50, 10, 3, 16, 42);
        ImageSet b = SyntheticImages.generate(50, 10, 3, 16, 42);

        assertThat(a.pixels()).isEqualTo(b.pixels());
        assertThat(a.labels()).isEqualTo(b.labels());
    }

    @Test
    void differentSeedsGiveDifferentImages() {
        assertThat(SyntheticImages.generate(20, 4, 1, 8, 1).pixels())
                .isNotEqualTo(SyntheticImages.generate(20, 4, 1, 8, 2).pixels());
    }

    @Test
    void hasRequestedShapeAndBalancedClasses() {
        ImageSet set = SyntheticImages.generate(100, 10, 3, 12, 0);

        assertThat(set.n()).isEqualTo(100);
        assertThat(set.channels()).isEqualTo(3);
        assertThat(set.height()).isEqualTo(12);
        assertThat(set.width()).isEqualTo(12);
        assertThat(set.classNames()).hasSize(10).doesNotHaveDuplicates();
        int[] counts = new int[10];
        for (int label : set.labels()) {
            counts[label]++;
        }
        assertThat(counts).containsOnly(10);
    }

    /** Class 0 is horizontal stripes, class 1 vertical: gradients must say so, image by image. */
    @Test
    void patternDependsOnClass() {
        int size = 16;
        ImageSet set = SyntheticImages.generate(200, 3, 1, size, 5);
        for (int i = 0; i < set.n(); i++) {
            if (set.labels()[i] == 2) {
                continue;
            }
            byte[] img = set.sample(i);
            double dy = 0;
            double dx = 0;
            for (int y = 0; y + 1 < size; y++) {
                for (int x = 0; x + 1 < size; x++) {
                    int v = img[y * size + x] & 0xff;
                    dy += Math.abs((img[(y + 1) * size + x] & 0xff) - v);
                    dx += Math.abs((img[y * size + x + 1] & 0xff) - v);
                }
            }
            boolean horizontalStripes = dy > dx;
            assertThat(horizontalStripes).as("image %d of class %d", i, set.labels()[i])
                    .isEqualTo(set.labels()[i] == 0);
        }
    }
}
