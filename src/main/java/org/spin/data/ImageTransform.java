package org.spin.data;

import java.util.SplittableRandom;

/**
 * What a streaming loader does to one decoded image, with the sample's own generator: the
 * training pipeline (random-resized crop, flip) or the evaluation one (resize, centre crop). The
 * output is {@link #side()}×{@link #side()}.
 */
public interface ImageTransform {

    Pixels apply(Pixels image, SplittableRandom rng);

    /** Side of the square output. */
    int side();

    /**
     * timm's {@code transforms_imagenet_train} up to the tensor: RandomResizedCrop of {@code scale}
     * (area fraction) and {@code ratio} (aspect, log-uniform) resized to {@code side} with
     * {@code filter}, then a horizontal flip with probability 0.5.
     */
    static ImageTransform train(int side, double[] scale, double[] ratio, Resample.Filter filter) {
        return new ImageTransform() {
            @Override
            public Pixels apply(Pixels image, SplittableRandom rng) {
                Crops.Box b = Crops.randomResized(image.height(), image.width(), scale, ratio, rng);
                Pixels out = image.crop(b.top(), b.left(), b.height(), b.width()).resize(side, side, filter);
                return rng.nextDouble() < 0.5 ? out.flipped() : out;
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
