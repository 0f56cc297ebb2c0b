package org.spin.data;

import java.util.random.RandomGenerator;

/**
 * Train-time augmentations on one uint8 sample (C×H×W), as pure functions of their inputs and an
 * explicit random generator.
 *
 * <p>We write our own because DJL's random flip returns its input unchanged on the PyTorch
 * engine and its colour jitter is missing; and because taking the generator as an argument
 * makes every batch a pure function of (seed, epoch, step), independent of thread timing.
 * Inputs are never modified; each function returns a new array.
 */
public final class Augment {

    /** Zero padding of the random crop for images below 32 px (Fashion-MNIST, the synthetic set). */
    public static final int DEFAULT_PADDING = 2;

    private Augment() {}

    /**
     * Zero padding of the random crop for images of side {@code side}: {@value #DEFAULT_PADDING}
     * below 32 px, where our Fashion-MNIST runs always used it, and an eighth of the side from 32 px
     * on, which is the usual CIFAR recipe's 4 px at 32 and keeps the shift in proportion on larger
     * images.
     */
    public static int padding(int side) {
        return side < 32 ? DEFAULT_PADDING : side / 8;
    }

    /** The sample surrounded by {@code padding} zero pixels on every side: C×(H+2P)×(W+2P). */
    public static byte[] pad(byte[] sample, int channels, int height, int width, int padding) {
        checkShape(sample, channels, height, width);
        int ph = height + 2 * padding;
        int pw = width + 2 * padding;
        byte[] out = new byte[channels * ph * pw];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                System.arraycopy(sample, (c * height + y) * width,
                        out, (c * ph + y + padding) * pw + padding, width);
            }
        }
        return out;
    }

    /**
     * The H×W window of the zero-padded sample whose top-left corner is shifted by
     * ({@code dy}, {@code dx}) from the centre, each in [-padding, padding]. Offset (0, 0) is the
     * sample itself. Computed directly rather than by padding, to avoid an extra copy per sample.
     */
    public static byte[] crop(byte[] sample, int channels, int height, int width, int padding, int dy, int dx) {
        checkShape(sample, channels, height, width);
        if (Math.abs(dy) > padding || Math.abs(dx) > padding) {
            throw new IllegalArgumentException("crop offset (" + dy + ", " + dx + ") exceeds padding " + padding);
        }
        byte[] out = new byte[sample.length];
        int x0 = Math.max(0, -dx);             // first output column with a source pixel
        int x1 = Math.min(width, width - dx);  // one past the last
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                int sy = y + dy;
                if (sy < 0 || sy >= height || x1 <= x0) {
                    continue;
                }
                System.arraycopy(sample, (c * height + sy) * width + x0 + dx,
                        out, (c * height + y) * width + x0, x1 - x0);
            }
        }
        return out;
    }

    /** {@link #crop} at an offset drawn uniformly from [-padding, padding]², dy first. */
    public static byte[] randomCrop(byte[] sample, int channels, int height, int width, int padding,
                                    RandomGenerator rng) {
        int dy = rng.nextInt(2 * padding + 1) - padding;
        int dx = rng.nextInt(2 * padding + 1) - padding;
        return crop(sample, channels, height, width, padding, dy, dx);
    }

    /** The sample mirrored left to right. */
    public static byte[] flipHorizontal(byte[] sample, int channels, int height, int width) {
        checkShape(sample, channels, height, width);
        byte[] out = new byte[sample.length];
        for (int row = 0; row < channels * height; row++) {
            int base = row * width;
            for (int x = 0; x < width; x++) {
                out[base + x] = sample[base + width - 1 - x];
            }
        }
        return out;
    }

    /** {@link #flipHorizontal} with probability 0.5; otherwise a copy of the sample. */
    public static byte[] randomFlip(byte[] sample, int channels, int height, int width, RandomGenerator rng) {
        return rng.nextBoolean()
                ? flipHorizontal(sample, channels, height, width)
                : checkShape(sample, channels, height, width).clone();
    }

    private static byte[] checkShape(byte[] sample, int channels, int height, int width) {
        if (sample.length != channels * height * width) {
            throw new IllegalArgumentException("sample has " + sample.length + " bytes, expected C*H*W = "
                    + channels + "*" + height + "*" + width);
        }
        return sample;
    }
}
