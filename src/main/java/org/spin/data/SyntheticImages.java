package org.spin.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded, learnable stand-in for a real data set, for smoke tests and CI where Fashion-MNIST is
 * not installed.
 *
 * <p>Class {@code k} is a grating whose orientation ({@code k % 3}: horizontal, vertical,
 * diagonal) and period ({@code 3 + 2·(k / 3)} pixels) identify it, under a soft blob envelope,
 * with random phase, contrast, a small random shift and Gaussian noise, so a model has to learn
 * local texture rather than memorise pixels. Diagonal classes take either diagonal at random,
 * which makes every class invariant under the horizontal flip and random crop of
 * {@link Augment}: augmentation never turns one class into another. With several channels each
 * class also gets its own tint. Labels cycle 0,1,2,... so classes are balanced.
 */
public final class SyntheticImages {

    private static final double NOISE = 0.08;

    private SyntheticImages() {}

    /**
     * {@code n} images of {@code channels}×{@code size}×{@code size}; the same arguments always
     * give the same images.
     */
    public static ImageSet generate(int n, int classes, int channels, int size, long seed) {
        if (n < 0 || classes < 1 || channels < 1 || size < 1) {
            throw new IllegalArgumentException("bad synthetic set n=" + n + " classes=" + classes
                    + " channels=" + channels + " size=" + size);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int plane = size * size;
        byte[] pixels = new byte[n * channels * plane];
        int[] labels = new int[n];
        double centre = (size - 1) / 2.0;
        double sigma = Math.max(1.0, size * 0.35);
        int maxShift = Math.max(1, size / 8);
        double[] value = new double[plane];
        for (int i = 0; i < n; i++) {
            int k = i % classes;
            labels[i] = k;
            int orientation = k % 3;
            double period = 3 + 2 * (k / 3);
            double diagonalSign = rng.nextBoolean() ? 1 : -1;
            double phase = rng.nextDouble(2 * Math.PI);
            double contrast = rng.nextDouble(0.6, 1.0);
            double cy = centre + rng.nextInt(-maxShift, maxShift + 1);
            double cx = centre + rng.nextInt(-maxShift, maxShift + 1);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double u = switch (orientation) {
                        case 0 -> y;
                        case 1 -> x;
                        default -> (x + diagonalSign * y) / Math.sqrt(2);
                    };
                    double r2 = (y - cy) * (y - cy) + (x - cx) * (x - cx);
                    double envelope = Math.exp(-r2 / (2 * sigma * sigma));
                    value[y * size + x] = contrast * envelope * Math.cos(2 * Math.PI * u / period + phase);
                }
            }
            for (int c = 0; c < channels; c++) {
                double tint = channels == 1 ? 1.0
                        : 0.7 + 0.3 * Math.cos(2 * Math.PI * ((double) k / classes + (double) c / channels));
                int base = (i * channels + c) * plane;
                for (int p = 0; p < plane; p++) {
                    double v = 0.5 + 0.5 * tint * value[p] + NOISE * rng.nextGaussian();
                    pixels[base + p] = (byte) Math.round(255 * Math.min(1.0, Math.max(0.0, v)));
                }
            }
        }
        return new ImageSet(pixels, labels, n, channels, size, size, classNames(classes));
    }

    private static List<String> classNames(int classes) {
        String[] orientations = {"horizontal", "vertical", "diagonal"};
        List<String> names = new ArrayList<>(classes);
        for (int k = 0; k < classes; k++) {
            names.add(orientations[k % 3] + "-" + (3 + 2 * (k / 3)) + "px");
        }
        return names;
    }
}
