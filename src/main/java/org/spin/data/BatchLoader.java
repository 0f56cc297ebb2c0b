package org.spin.data;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Cuts an in-memory {@link ImageSet} into normalised float batches, shuffled and augmented for
 * training: each batch's augmentation (a shift with zero padding, a flip) comes from a generator
 * seeded by (seed, epoch, step).
 */
public final class BatchLoader extends Loader {

    private static final long AUGMENT = 0x4155_474DL;

    private final ImageSet data;
    private final List<? extends Number> mean;
    private final List<? extends Number> std;
    private final boolean augment;
    private final int padding;

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
        super(Objects.requireNonNull(data, "data").n(), batchSize, train, seed, workers,
                new Normalization(data.channels(), outputChannels, mean, std));
        this.data = data;
        this.mean = mean;
        this.std = std;
        this.augment = augment && train;
        this.padding = Augment.padding(Math.min(data.height(), data.width()));
    }

    /** Builds one batch; thread-safe because it only reads shared state. */
    @Override
    protected HostBatch batch(int[] order, int epoch, int step) {
        int from = step * batchSize();
        int size = Math.min(batchSize(), data.n() - from);
        int c = data.channels();
        int h = data.height();
        int w = data.width();
        int sampleBytes = data.sampleSize();
        int sampleFloats = outputChannels() * h * w;
        float[] images = new float[size * sampleFloats];
        int[] labels = new int[size];
        SplittableRandom rng = augment ? new SplittableRandom(Seeds.derive(seed(), AUGMENT, epoch, step)) : null;
        byte[] pixels = data.pixels();
        byte[] sample = new byte[sampleBytes];
        for (int i = 0; i < size; i++) {
            int index = sample(order[from + i]);
            System.arraycopy(pixels, index * sampleBytes, sample, 0, sampleBytes);
            byte[] x = sample;
            if (rng != null) {
                x = Augment.randomCrop(x, c, h, w, padding, rng);
                x = Augment.randomFlip(x, c, h, w, rng);
            }
            normalization().normalize(x, images, i * sampleFloats);
            labels[i] = data.labels()[index];
        }
        return new HostBatch(images, labels, size, step);
    }

    @Override
    public BatchLoader head(int count) {
        return new BatchLoader(data.first(count), batchSize(), train(), seed(), outputChannels(), mean, std,
                augment, workers());
    }

    @Override
    public List<String> classNames() {
        return data.classNames();
    }

    public ImageSet data() {
        return data;
    }

    @Override
    public int height() {
        return data.height();
    }

    @Override
    public int width() {
        return data.width();
    }
}
