package org.spin.data;

import java.util.SplittableRandom;
import org.spin.SpinException;

/**
 * torchvision's {@code ColorJitter(b, b, b)} as timm adds it when no RandAugment policy is set
 * ({@code AUG.COLOR_JITTER} b): brightness, contrast and saturation factors drawn uniformly from
 * [max(0, 1 − b), 1 + b], applied in a random order with Pillow's enhancers.
 */
public final class ColorJitter implements ImageTransform.Colour {

    private final double strength;

    public ColorJitter(double strength) {
        if (!(strength >= 0) || Double.isInfinite(strength)) {
            throw new SpinException("AUG.COLOR_JITTER " + strength + " must be 0 or more");
        }
        this.strength = strength;
    }

    @Override
    public Pixels apply(Pixels image, SplittableRandom rng) {
        // torchvision draws a permutation of its four ops (hue, off here, the fourth), then the factors
        int[] order = {0, 1, 2, 3};
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        double lo = Math.max(0, 1 - strength);
        double hi = 1 + strength;
        double[] factor = new double[3];
        for (int k = 0; k < 3; k++) {
            factor[k] = lo + (hi - lo) * rng.nextDouble();
        }
        for (int op : order) {
            image = switch (op) {
                case 0 -> PilOps.brightness(image, factor[0]);
                case 1 -> PilOps.contrast(image, factor[1]);
                case 2 -> PilOps.color(image, factor[2]);
                default -> image; // hue: timm sets none
            };
        }
        return image;
    }
}
