package org.spin.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.spin.SpinException;

/**
 * Batches read from an image folder as they are needed: only the {@link FileIndex} is in memory;
 * every epoch each image is read, decoded and transformed again by the worker threads, into a
 * bounded queue of batches ({@link EpochIterator}), so memory does not grow with the data set.
 *
 * <p>Sample {@code i}'s augmentation draws from a generator seeded by (seed, epoch, i), so a
 * batch is the same whatever the worker count, timing, or the step a run resumed at.
 *
 * <p>An image that cannot be read does not stop a run: it is reported once (path and reason),
 * replaced by another sample chosen by (seed, i) alone, and counted ({@link #unreadable}). When
 * more than {@link #MAX_UNREADABLE_SHARE} of the folder (and more than {@link #MIN_UNREADABLE}
 * files) proves unreadable, the next batch stops the run with an error: that folder is broken,
 * not unlucky.
 */
public final class StreamingLoader extends Loader {

    /** Share of a folder's images that may be unreadable before the run stops. */
    public static final double MAX_UNREADABLE_SHARE = 0.01;
    /** Unreadable images always tolerated, however small the folder. */
    public static final int MIN_UNREADABLE = 10;
    private static final int REPLACEMENT_TRIES = 32;
    private static final long SAMPLE = 0x5341_4D50L; // domain tags keep the seed streams apart
    private static final long REPLACE = 0x5245_504CL;

    private final FileIndex index;
    private final ImageTransform transform;
    /** Applied to each normalised sample in training; null for none. */
    private final RandomErasing erasing;
    private final Unreadable unreadable;

    /** The unreadable files met so far, shared by a loader and its {@link #head}. */
    private static final class Unreadable {
        final Map<Integer, String> reasons = new ConcurrentHashMap<>();
        volatile Consumer<String> report = m -> {};
    }

    /**
     * @param channels the model's input channels: 1 (gray) or 3 (RGB)
     * @param mean     per-channel mean in [0,1] units, length 1 or {@code channels}
     */
    public StreamingLoader(FileIndex index, ImageTransform transform, int batchSize, boolean train, long seed,
                           int channels, List<? extends Number> mean, List<? extends Number> std, int workers) {
        this(index, transform, null, batchSize, train, seed, channels, mean, std, workers);
    }

    /** @param erasing random erasing of each normalised training sample, or null */
    public StreamingLoader(FileIndex index, ImageTransform transform, RandomErasing erasing, int batchSize, boolean train,
                           long seed, int channels, List<? extends Number> mean, List<? extends Number> std, int workers) {
        this(index, transform, erasing, batchSize, train, seed, new Normalization(channels, channels, mean, std), workers,
                new Unreadable());
        if (channels != 1 && channels != 3) {
            throw new SpinException("DATA.INPUT_CHANNEL_NUM " + channels + " cannot be read from image files;"
                    + " expected 1 (gray) or 3 (RGB)");
        }
    }

    private StreamingLoader(FileIndex index, ImageTransform transform, RandomErasing erasing, int batchSize, boolean train,
                            long seed, Normalization normalization, int workers, Unreadable unreadable) {
        super(index.size(), batchSize, train, seed, workers, normalization);
        this.index = index;
        this.transform = transform;
        this.erasing = train ? erasing : null;
        this.unreadable = unreadable;
    }

    @Override
    public StreamingLoader reportingTo(Consumer<String> report) {
        unreadable.report = report;
        return this;
    }

    @Override
    public int unreadable() {
        return unreadable.reasons.size();
    }

    @Override
    protected HostBatch batch(int[] order, int epoch, int step) {
        int from = step * batchSize();
        int size = Math.min(batchSize(), size() - from);
        int side = transform.side();
        int sampleFloats = outputChannels() * side * side;
        float[] images = new float[size * sampleFloats];
        int[] labels = new int[size];
        for (int k = 0; k < size; k++) {
            int i = sample(order[from + k]);
            int copy = copy(order[from + k]);
            // each copy of a repeated image draws its own augmentation; the first draws as without repeats
            SplittableRandom rng = new SplittableRandom(copy == 0 ? Seeds.derive(seed(), SAMPLE, epoch, i)
                    : Seeds.derive(seed(), SAMPLE, epoch, i, copy));
            int source = i;
            Pixels image = null;
            for (int t = 0; image == null; t++) {
                if (t == REPLACEMENT_TRIES) {
                    throw new SpinException("image folder " + index.split() + ": " + REPLACEMENT_TRIES + " images in a row"
                            + " standing in for " + index.file(i) + " were unreadable; expected a folder of readable images");
                }
                source = readable(i);
                image = decodeOrNull(source); // null: recorded as unreadable, so readable(i) moves on
            }
            normalization().normalize(transform.apply(image, rng).data(), images, k * sampleFloats);
            if (erasing != null) {
                erasing.apply(images, k * sampleFloats, outputChannels(), side, side, rng);
            }
            labels[k] = index.label(source);
        }
        return new HostBatch(images, labels, size, step);
    }

    /** {@code i}, or when it is known unreadable the first of its replacements that is not. */
    private int readable(int i) {
        if (!unreadable.reasons.containsKey(i)) {
            return i;
        }
        for (int t = 0; t < REPLACEMENT_TRIES; t++) {
            int j = (int) Math.floorMod(Seeds.derive(seed(), REPLACE, i, t), (long) size());
            if (!unreadable.reasons.containsKey(j)) {
                return j;
            }
        }
        throw new SpinException("image folder " + index.split() + ": " + REPLACEMENT_TRIES + " replacements for "
                + index.file(i) + " were unreadable too; expected a folder of readable images");
    }

    /** Image {@code i} decoded, or null after recording why it cannot be (and stopping if too many cannot). */
    private Pixels decodeOrNull(int i) {
        Path file = index.file(i);
        try {
            return ImageDecoder.read(file, outputChannels());
        } catch (SpinException e) {
            String reason = e.getMessage();
            if (unreadable.reasons.putIfAbsent(i, reason) == null) {
                int count = unreadable.reasons.size();
                unreadable.report.accept("skipping " + reason + " (unreadable image " + count + "; a replacement stands in)");
                if (count > Math.max(MIN_UNREADABLE, MAX_UNREADABLE_SHARE * index.size())) {
                    throw new SpinException("image folder " + index.split() + ": " + count + " of its " + index.size()
                            + " images are unreadable, more than " + (int) (MAX_UNREADABLE_SHARE * 100)
                            + "%; expected a folder of readable JPEG/PNG images (latest: " + reason + ")");
                }
            }
            return null;
        }
    }

    @Override
    public StreamingLoader head(int count) {
        return new StreamingLoader(index.head(count), transform, erasing, batchSize(), train(), seed(), normalization(),
                workers(), unreadable);
    }

    @Override
    public List<String> classNames() {
        return index.classNames();
    }

    @Override
    public int height() {
        return transform.side();
    }

    @Override
    public int width() {
        return transform.side();
    }
}
