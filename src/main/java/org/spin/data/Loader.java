package org.spin.data;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.spin.SpinException;

/**
 * Batches of one split, epoch after epoch, built ahead by worker threads ({@link EpochIterator}).
 *
 * <p>Every batch is a pure function of (seed, epoch, step): the epoch's order comes from a
 * generator seeded by (seed, epoch), and a batch from its place in that order. So the data does
 * not depend on the worker count or thread timing, and a run resumed at an epoch boundary, or
 * mid-epoch via {@link #epoch(int, int)}, sees exactly the batches the uninterrupted run would have seen.
 *
 * <p>Training drops the last partial batch so every step has the same shape (and batch-norm
 * statistics never come from a handful of samples); evaluation keeps it so every sample is
 * scored exactly once, in order.
 */
public abstract class Loader {

    private static final long SHUFFLE = 0x5348_5546L; // domain tags keep the seed streams apart
    private static final long MIX = 0x4D49_5855L;

    private final int size;
    private final int batchSize;
    private final boolean train;
    private final long seed;
    private final int workers;
    private final Normalization normalization;
    private Mixup mixup;
    private int copies = 1;

    /**
     * @param size    samples in the split
     * @param workers background threads ({@code DATA_LOADER.NUM_WORKERS}), at least 1
     * @param normalization what turns a sample's bytes into the model's input
     */
    protected Loader(int size, int batchSize, boolean train, long seed, int workers, Normalization normalization) {
        if (batchSize < 1) {
            throw new SpinException("batch size must be >= 1, got " + batchSize);
        }
        if (workers < 1) {
            throw new SpinException("DATA_LOADER.NUM_WORKERS must be >= 1, got " + workers);
        }
        if (train && size < batchSize) {
            throw new SpinException("training set has " + size + " samples, fewer than the batch size "
                    + batchSize + "; expected at least one full batch");
        }
        this.size = size;
        this.batchSize = batchSize;
        this.train = train;
        this.seed = seed;
        this.workers = workers;
        this.normalization = normalization;
    }

    /** Builds batch {@code step} of {@code epoch} from the samples {@code order} lists; called from worker threads. */
    protected abstract HostBatch batch(int[] order, int epoch, int step);

    /** C of each batch's C×H×W samples. */
    public final int outputChannels() {
        return normalization.outputChannels();
    }

    protected final Normalization normalization() {
        return normalization;
    }

    public abstract int height();

    public abstract int width();

    /** What the labels mean, index = label. */
    public abstract List<String> classNames();

    /** The same loader over the split's first {@code count} samples (e.g. the images an analysis uses). */
    public abstract Loader head(int count);

    /** Images of the split that could not be read so far (and were replaced); none for in-memory sets. */
    public int unreadable() {
        return 0;
    }

    /** Where the one-line report of each unreadable image goes (e.g. the run's log); in-memory sets have none. */
    public Loader reportingTo(Consumer<String> report) {
        return this;
    }

    /** Mixes every training batch with {@code mixup}, drawing from (seed, epoch, step); returns this loader. */
    public Loader mixing(Mixup mixup) {
        this.mixup = train ? mixup : null;
        return this;
    }

    /**
     * Repeated augmentation (Hoffer et al. 2020; DeiT's {@code RASampler}) when {@code copies} &gt; 1:
     * each image an epoch draws comes {@code copies} times in a row, each with its own augmentation,
     * so a batch holds several views of fewer images. As DeiT's sampler, an epoch then draws the set's
     * size rounded down to a multiple of 256 (the whole set when it has fewer). Training only.
     */
    public Loader repeating(int copies) {
        if (copies < 1) {
            throw new SpinException("TRAIN.REPEATED_AUG " + copies + " must be at least 1 (1: off; DeiT uses 3)");
        }
        this.copies = train ? copies : 1;
        return this;
    }

    /** Samples an epoch draws. */
    public final int epochSamples() {
        return copies == 1 ? size : size >= 256 ? size / 256 * 256 : size;
    }

    /** Full batches when training; all batches including a last partial one when evaluating. */
    public final int stepsPerEpoch() {
        return train ? epochSamples() / batchSize : (size + batchSize - 1) / batchSize;
    }

    /** All batches of {@code epoch}; close it if you stop early. */
    public final EpochIterator epoch(int epoch) {
        return epoch(epoch, 0);
    }

    /**
     * Batches {@code startStep..stepsPerEpoch()-1} of {@code epoch}, identical to those the full
     * epoch would yield at the same steps; for resuming mid-epoch.
     */
    public final EpochIterator epoch(int epoch, int startStep) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        int steps = stepsPerEpoch();
        if (startStep < 0 || startStep > steps) {
            throw new SpinException("cannot resume at step " + startStep + " of epoch " + epoch + ": an epoch has "
                    + steps + " steps of batch size " + batchSize + " (" + size + " samples)");
        }
        int[] order = order(epoch);
        String name = "spin-data-" + (train ? "train" : "eval") + "-e" + epoch;
        Mixup mix = mixup;
        return new EpochIterator(name, startStep, steps, workers, step -> mix == null ? batch(order, epoch, step)
                : mix.apply(batch(order, epoch, step), outputChannels(), height(), width(),
                        new SplittableRandom(Seeds.derive(seed, MIX, epoch, step))));
    }

    /**
     * The epoch's draws: a seeded Fisher–Yates shuffle for training, identity otherwise. With
     * repeated augmentation each image is listed {@link #repeating copies} times in a row, the
     * c-th copy as {@code index + c · size}: {@link #sample} and {@link #copy} read an entry.
     */
    final int[] order(int epoch) {
        int[] order = permutation(epoch);
        if (copies == 1) {
            return order;
        }
        int[] out = new int[epochSamples()];
        for (int k = 0; k < out.length; k++) {
            out[k] = order[k / copies] + (k % copies) * size;
        }
        return out;
    }

    /** The image an entry of {@link #order} draws. */
    protected final int sample(int entry) {
        return entry % size;
    }

    /** Which copy of its image an entry of {@link #order} is: 0 without repeated augmentation. */
    protected final int copy(int entry) {
        return entry / size;
    }

    private int[] permutation(int epoch) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        if (train) {
            SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, SHUFFLE, epoch));
            for (int i = size - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
        }
        return order;
    }

    /** Samples in the split. */
    public final int size() {
        return size;
    }

    public final int batchSize() {
        return batchSize;
    }

    public final boolean train() {
        return train;
    }

    public final long seed() {
        return seed;
    }

    public final int workers() {
        return workers;
    }
}
