package org.spin.data;

import java.util.SplittableRandom;

/**
 * What a streaming loader does to one decoded image, with the sample's own generator: the
 * training pipeline (random-resized crop, flip) or the evaluation one (resize, centre crop). The
 * output is {@link #side()}×{@link #side()}.
 */
public interface ImageTransform {

    /** The training pipeline's second stage, timm's {@code secondary_tfl}: RandAugment or colour jitter. */
    interface Colour {
        Pixels apply(Pixels image, SplittableRandom rng);
    }

    Pixels apply(Pixels image, SplittableRandom rng);

    /** Side of the square output. */
    int side();

    /** {@link #train(int, double[], double[], Resample.Filter, Colour)} with nothing after the flip. */
    static ImageTransform train(int side, double[] scale, double[] ratio, Resample.Filter filter) {
        return train(side, scale, ratio, filter, null);
    }

    /**
     * timm's {@code transforms_imagenet_train} up to the tensor: RandomResizedCrop of {@code scale}
     * (area fraction) and {@code ratio} (aspect, log-uniform) resized to {@code side} with
     * {@code filter}, a horizontal flip with probability 0.5, then {@code colour} (RandAugment, or
     * colour jitter without it) unless null.
     */
    static ImageTransform train(int side, double[] scale, double[] ratio, Resample.Filter filter, Colour colour) {
        return new ImageTransform() {
            @Override
            public Pixels apply(Pixels image, SplittableRandom rng) {
                Crops.Box b = Crops.randomResized(image.height(), image.width(), scale, ratio, rng);
                Pixels out = image.crop(b.top(), b.left(), b.height(), b.width()).resize(side, side, filter);
                out = rng.nextDouble() < 0.5 ? out.flipped() : out;
                return colour == null ? out : colour.apply(out, rng);
            }

            @Override
            public int side() {
                return side;
            }
        };
    }

    /** The evaluation transform: shorter side to {@code int(256/224 · side)}, then the centre {@code side}². */
    static ImageTransform eval(int side, Resample.Filter filter) {
        return new ImageTransform() {
            @Override
            public Pixels apply(Pixels image, SplittableRandom rng) {
                int[] hw = Crops.shorterSideTo(image.height(), image.width(), Crops.evalResize(side));
                Crops.Box b = Crops.centre(hw[0], hw[1], side);
                return image.resize(hw[0], hw[1], filter).crop(b.top(), b.left(), b.height(), b.width());
            }

            @Override
            public int side() {
                return side;
            }
        };
    }
}
