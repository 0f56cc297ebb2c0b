package org.spin.data;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.spin.SpinException;

/**
 * Cuts an {@link ImageSet} into normalised float batches, shuffled and augmented for training.
 *
 * <p>Every batch is a pure function of (seed, epoch, step): the epoch's order comes from a
 * generator seeded by (seed, epoch) and each batch's augmentation from one seeded by
 * (seed, epoch, step). So the data does not depend on the worker count or thread timing, and a
 * run resumed at an epoch boundary, or mid-epoch via {@link #epoch(int, int)}, sees exactly the
 * batches the uninterrupted run would have seen.
 *
 * <p>Training drops the last partial batch so every step has the same shape (and batch-norm
 * statistics never come from a handful of samples); evaluation keeps it so every sample is
 * scored exactly once, in order.
 */
public final class BatchLoader {

    private static final long SHUFFLE = 0x5348_5546L;  // domain tags keep the two seed streams apart
    private static final long AUGMENT = 0x4155_474DL;

    private final ImageSet data;
    private final int batchSize;
    private final boolean train;
    private final long seed;
    private final boolean augment;
    private final int workers;
    private final int padding;
    private final Normalization normalization;

    /**
     * @param outputChannels channels the model expects; 3 with gray data replicates the channel
     * @param mean per-channel mean in [0,1] units, length 1 or outputChannels
     * @param std per-channel std, same rule
     * @param augment random crop (zero padding {@link Augment#padding} of the shorter side) and
     *     horizontal flip; ignored unless {@code train}
     * @param workers background threads (DATA_LOADER.NUM_WORKERS), at least 1
     */
    public BatchLoader(ImageSet data, int batchSize, boolean train, long seed, int outputChannels,
                       List<? extends Number> mean, List<? extends Number> std, boolean augment, int workers) {
        this.data = Objects.requireNonNull(data, "data");
        if (batchSize < 1) {
            throw new SpinException("batch size must be >= 1, got " + batchSize);
        }
        if (workers < 1) {
            throw new SpinException("DATA_LOADER.NUM_WORKERS must be >= 1, got " + workers);
        }
        if (train && data.n() < batchSize) {
            throw new SpinException("training set has " + data.n() + " samples, fewer than the batch size "
                    + batchSize + "; expected at least one full batch");
        }
        this.batchSize = batchSize;
        this.train = train;
        this.seed = seed;
        this.augment = augment && train;
        this.workers = workers;
        this.padding = Augment.padding(Math.min(data.height(), data.width()));
        this.normalization = new Normalization(data.channels(), outputChannels, mean, std);
    }

    /** Full batches when training; all batches including a last partial one when evaluating. */
    public int stepsPerEpoch() {
        return train ? data.n() / batchSize : (data.n() + batchSize - 1) / batchSize;
    }

    /** All batches of {@code epoch}; close it if you stop early. */
    public EpochIterator epoch(int epoch) {
        return epoch(epoch, 0);
    }

    /**
     * Batches {@code startStep..stepsPerEpoch()-1} of {@code epoch}, identical to those the full
     * epoch would yield at the same steps; for resuming mid-epoch.
     */
    public EpochIterator epoch(int epoch, int startStep) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        int steps = stepsPerEpoch();
        if (startStep < 0 || startStep > steps) {
            throw new SpinException("cannot resume at step " + startStep + " of epoch " + epoch + ": an epoch has "
                    + steps + " steps of batch size " + batchSize + " (" + data.n() + " samples)");
        }
        int[] order = order(epoch);
        String name = "spin-data-" + (train ? "train" : "eval") + "-e" + epoch;
        return new EpochIterator(name, startStep, steps, workers, step -> batch(order, epoch, step));
    }

    /** The epoch's sample order: a seeded Fisher–Yates shuffle for training, identity otherwise. */
    int[] order(int epoch) {
        int n = data.n();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (train) {
            SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, SHUFFLE, epoch));
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
        }
        return order;
    }

    /** Builds one batch; thread-safe because it only reads shared state. */
    HostBatch batch(int[] order, int epoch, int step) {
        int from = step * batchSize;
        int size = Math.min(batchSize, data.n() - from);
        int c = data.channels();
        int h = data.height();
        int w = data.width();
        int sampleBytes = data.sampleSize();
        int sampleFloats = normalization.outputChannels() * h * w;
        float[] images = new float[size * sampleFloats];
        int[] labels = new int[size];
        SplittableRandom rng = augment ? new SplittableRandom(Seeds.derive(seed, AUGMENT, epoch, step)) : null;
        byte[] pixels = data.pixels();
        byte[] sample = new byte[sampleBytes];
        for (int i = 0; i < size; i++) {
            int index = order[from + i];
            System.arraycopy(pixels, index * sampleBytes, sample, 0, sampleBytes);
            byte[] x = sample;
            if (rng != null) {
                x = Augment.randomCrop(x, c, h, w, padding, rng);
                x = Augment.randomFlip(x, c, h, w, rng);
            }
            normalization.normalize(x, images, i * sampleFloats);
            labels[i] = data.labels()[index];
        }
        return new HostBatch(images, labels, size, step);
    }

    public ImageSet data() {
        return data;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean train() {
        return train;
    }

    /** C of each batch's C×H×W samples. */
    public int outputChannels() {
        return normalization.outputChannels();
    }

    public int height() {
        return data.height();
    }

    public int width() {
        return data.width();
    }

    public int workers() {
        return workers;
    }
}
