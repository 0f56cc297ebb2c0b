package org.spin.data;

import java.util.SplittableRandom;
import org.spin.SpinException;

/**
 * timm's {@code RandomErasing} (Zhong et al., 2017) on one normalised C×H×W sample, as the
 * reference's training pipeline applies it last: with probability {@code probability}, up to
 * {@code maxCount} boxes each of an area uniform in [2%, 1/3] of the image (divided among the
 * boxes) and an aspect log-uniform in [0.3, 1/0.3], ten tries each to fit, filled with normal noise
 * per pixel ({@code pixel}), per channel ({@code rand}) or zeros ({@code const}).
 */
public final class RandomErasing {

    /** The fill of an erased box ({@code AUG.RE_MODE}). */
    public enum Mode {
        PIXEL, RAND, CONST
    }

    static final double MIN_AREA = 0.02;
    static final double MAX_AREA = 1.0 / 3;
    static final double MIN_ASPECT = 0.3;
    private static final int TRIES = 10;

    private final double probability;
    private final int maxCount;
    private final Mode mode;

    public RandomErasing(double probability, int maxCount, Mode mode) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new SpinException("AUG.RE_PROB " + probability + " must be in [0, 1]");
        }
        if (maxCount < 1) {
            throw new SpinException("AUG.RE_COUNT " + maxCount + " must be at least 1");
        }
        this.probability = probability;
        this.maxCount = maxCount;
        this.mode = mode;
    }

    /** {@code pixel}, {@code rand} or {@code const} ({@code AUG.RE_MODE}). */
    public static Mode mode(String name) {
        return switch (name == null ? "" : name.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "pixel" -> Mode.PIXEL;
            case "rand" -> Mode.RAND;
            case "const" -> Mode.CONST;
            default -> throw new SpinException("AUG.RE_MODE " + name + " is not a random-erasing fill; expected pixel,"
                    + " rand or const");
        };
    }

    /** Erases boxes of the C×H×W sample at {@code x[offset..]} in place, drawing from {@code rng}. */
    public void apply(float[] x, int offset, int channels, int height, int width, SplittableRandom rng) {
        if (rng.nextDouble() > probability) {
            return;
        }
        int count = maxCount == 1 ? 1 : 1 + rng.nextInt(maxCount); // randint(1, max) is inclusive
        double area = (double) height * width;
        double logLo = Math.log(MIN_ASPECT);
        double logHi = Math.log(1 / MIN_ASPECT);
        for (int n = 0; n < count; n++) {
            for (int t = 0; t < TRIES; t++) {
                double target = (MIN_AREA + (MAX_AREA - MIN_AREA) * rng.nextDouble()) * area / count;
                double aspect = Math.exp(logLo + (logHi - logLo) * rng.nextDouble());
                int h = (int) Math.rint(Math.sqrt(target * aspect));
                int w = (int) Math.rint(Math.sqrt(target / aspect));
                if (w < width && h < height) {
                    int top = rng.nextInt(height - h + 1);
                    int left = rng.nextInt(width - w + 1);
                    fill(x, offset, channels, height, width, top, left, h, w, rng);
                    break;
                }
            }
        }
    }

    private void fill(float[] x, int offset, int channels, int height, int width, int top, int left, int h, int w,
                      SplittableRandom rng) {
        for (int c = 0; c < channels; c++) {
            float channelValue = mode == Mode.RAND ? (float) rng.nextGaussian() : 0f;
            for (int y = top; y < top + h; y++) {
                int row = offset + (c * height + y) * width;
                for (int i = left; i < left + w; i++) {
                    x[row + i] = mode == Mode.PIXEL ? (float) rng.nextGaussian() : channelValue;
                }
            }
        }
    }
}
