package org.spin.data;

import java.util.List;
import java.util.Objects;

/**
 * A labelled image set held as raw uint8 pixels, laid out N×C×H×W.
 *
 * <p>Pixels stay as bytes (not floats) because the whole Fashion-MNIST train split is then 47 MB
 * instead of 188 MB, and because augmentation and normalisation happen per batch anyway. The
 * arrays are shared, not copied, for the same reason: callers must not mutate them afterwards.
 * Record equality is therefore identity of the arrays.
 *
 * @param pixels uint8 pixels, sample-major then channel, row, column
 * @param labels class index per sample, each in {@code 0..classNames.size()-1}
 * @param classNames human-readable class names, index = label
 */
public record ImageSet(
        byte[] pixels, int[] labels, int n, int channels, int height, int width,
        List<String> classNames) {

    public ImageSet {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(classNames, "classNames");
        classNames = List.copyOf(classNames);
        if (n < 0 || channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("bad image set shape n=" + n + " channels=" + channels
                    + " height=" + height + " width=" + width);
        }
        long expected = (long) n * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " bytes, expected n*C*H*W = "
                    + n + "*" + channels + "*" + height + "*" + width + " = " + expected);
        }
        if (labels.length != n) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries, expected n = " + n);
        }
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("classNames is empty");
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException("label " + labels[i] + " at index " + i
                        + " is outside 0.." + (classNames.size() - 1));
            }
        }
    }

    public int numClasses() {
        return classNames.size();
    }

    /** Bytes per sample, C×H×W. */
    public int sampleSize() {
        return channels * height * width;
    }

    /** The first {@code count} samples (a copy of their pixels), e.g. the evaluation images an analysis uses. */
    public ImageSet first(int count) {
        Objects.checkFromToIndex(0, count, n);
        byte[] head = java.util.Arrays.copyOf(pixels, count * sampleSize());
        return new ImageSet(head, java.util.Arrays.copyOf(labels, count), count, channels, height, width, classNames);
    }

    /** A fresh copy of sample {@code i}, so augmentations can work in place on it. */
    public byte[] sample(int i) {
        Objects.checkIndex(i, n);
        byte[] out = new byte[sampleSize()];
        System.arraycopy(pixels, i * sampleSize(), out, 0, out.length);
        return out;
    }
}
