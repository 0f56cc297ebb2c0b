package org.spin.data;

import java.util.SplittableRandom;
import org.spin.SpinException;

/**
 * Where torchvision's crops cut an image: {@code RandomResizedCrop}'s box, sampled as
 * torchvision (and timm's {@code RandomResizedCropAndInterpolation}) sample it, and the
 * evaluation transform's {@code Resize} + {@code CenterCrop}, with torchvision's roundings.
 */
public final class Crops {

    /** A window of an image: top-left corner, height, width. */
    public record Box(int top, int left, int height, int width) {}

    /** Tries before {@link #randomResized} falls back to the centre, as torchvision. */
    static final int TRIES = 10;

    private Crops() {}

    /**
     * RandomResizedCrop's box on an H×W image: up to ten draws of an area fraction uniform in
     * {@code scale} and an aspect ratio log-uniform in {@code ratio}; the first that fits is placed
     * uniformly; if none fits, the largest centred box whose aspect is clamped to {@code ratio}.
     */
    public static Box randomResized(int height, int width, double[] scale, double[] ratio, SplittableRandom rng) {
        double area = (double) height * width;
        double logLo = Math.log(ratio[0]);
        double logHi = Math.log(ratio[1]);
        for (int t = 0; t < TRIES; t++) {
            double targetArea = area * uniform(rng, scale[0], scale[1]);
            double aspect = Math.exp(uniform(rng, logLo, logHi));
            int w = (int) Math.rint(Math.sqrt(targetArea * aspect)); // Python's round: half to even
            int h = (int) Math.rint(Math.sqrt(targetArea / aspect));
            if (0 < w && w <= width && 0 < h && h <= height) {
                int top = rng.nextInt(height - h + 1);
                int left = rng.nextInt(width - w + 1);
                return new Box(top, left, h, w);
            }
        }
        double inRatio = (double) width / height;
        int w;
        int h;
        if (inRatio < Math.min(ratio[0], ratio[1])) {
            w = width;
            h = (int) Math.rint(w / Math.min(ratio[0], ratio[1]));
        } else if (inRatio > Math.max(ratio[0], ratio[1])) {
            h = height;
            w = (int) Math.rint(h * Math.max(ratio[0], ratio[1]));
        } else {
            w = width;
            h = height;
        }
        return new Box((height - h) / 2, (width - w) / 2, h, w);
    }

    private static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo == hi ? lo : lo + (hi - lo) * rng.nextDouble();
    }

    /** torchvision's {@code Resize(size)}: the shorter side to {@code size}, the longer in proportion (truncated). */
    public static int[] shorterSideTo(int height, int width, int size) {
        if (size < 1) {
            throw new SpinException("resize to " + size + " pixels: expected at least 1");
        }
        if (width <= height) {
            return new int[] {(int) ((long) size * height / width), size};
        }
        return new int[] {size, (int) ((long) size * width / height)};
    }

    /** torchvision's {@code CenterCrop(size)} of an H×W image (offsets rounded half to even); the image must be large enough. */
    public static Box centre(int height, int width, int size) {
        if (size > height || size > width) {
            throw new IllegalArgumentException("centre crop " + size + " of a " + height + "x" + width + " image");
        }
        return new Box((int) Math.rint((height - size) / 2.0), (int) Math.rint((width - size) / 2.0), size, size);
    }

    /** The evaluation transform's resize: {@code int(256 / 224 · crop)}, e.g. 256 for the 224-px crop. */
    public static int evalResize(int crop) {
        return (int) (256.0 / 224.0 * crop);
    }
}
