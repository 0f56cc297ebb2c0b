package org.spin.data;

/**
 * One batch ready for the device, still in plain Java arrays so this package stays free of DJL
 * and its native memory; the trainer turns it into NDArrays.
 *
 * @param images normalised floats, size×C×H×W (C, H, W from the {@link BatchLoader})
 * @param labels class index per sample
 * @param size number of samples (the last eval batch may be smaller than the batch size)
 * @param step index of this batch within its epoch
 * @param targets soft targets, size×classes, when the batch was mixed ({@link Mixup}); else null: the labels are the targets
 */
public record HostBatch(float[] images, int[] labels, int size, int step, float[] targets) {

    public HostBatch {
        if (size < 0 || labels.length != size || (size == 0 ? images.length != 0 : images.length % size != 0)
                || (targets != null && (size == 0 || targets.length % size != 0))) {
            throw new IllegalArgumentException("inconsistent batch: size " + size + ", " + labels.length
                    + " labels, " + images.length + " floats" + (targets == null ? "" : ", " + targets.length + " targets"));
        }
    }

    public HostBatch(float[] images, int[] labels, int size, int step) {
        this(images, labels, size, step, null);
    }
}
