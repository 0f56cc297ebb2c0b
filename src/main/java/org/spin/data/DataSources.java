package org.spin.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.spin.SpinException;

/** The data sets {@code TRAIN.DATASET} can name, and the loaders a {@link DataConfig} describes. */
public final class DataSources {

    /** Side of Fashion-MNIST's images, and of the synthetic set that stands in for it. */
    private static final int FASHION_MNIST_SIZE = 28;
    private static final String VALID = "fashion_mnist, synthetic, cifar10, image_folder, imagenet";

    private DataSources() {}

    /**
     * Side of the square images {@code TRAIN.DATASET} feeds the model: 28 for Fashion-MNIST and
     * the synthetic set, 32 for CIFAR-10, {@code DATA.TRAIN_CROP_SIZE} for image folders (which
     * are resized to it) and for the reference's {@code imagenet}.
     */
    public static int imageSize(DataConfig cfg) {
        return switch (cfg.dataset()) {
            case "fashion_mnist", "synthetic" -> FASHION_MNIST_SIZE;
            case "cifar10" -> Cifar10.SIDE;
            case "image_folder", "imagenet" -> {
                int side = cfg.trainCropSize();
                if (side < 1) {
                    throw new SpinException("DATA.TRAIN_CROP_SIZE " + side + " must be at least 1 pixel");
                }
                yield side;
            }
            default -> throw unknown(cfg);
        };
    }

    /**
     * Whether {@code TRAIN.DATASET} is read from image files as it is needed (image folders, the
     * reference's {@code imagenet}) rather than held in memory.
     */
    public static boolean streams(DataConfig cfg) {
        return cfg.dataset().equals("image_folder") || cfg.dataset().equals("imagenet");
    }

    /**
     * The evaluation transform of a streamed data set (resize the shorter side to
     * {@code int(256/224 · DATA.TEST_CROP_SIZE)}, centre crop), which {@code predict} applies too;
     * null for the in-memory sets, whose images are already the model's size.
     */
    public static ImageTransform evalTransform(DataConfig cfg) {
        if (!streams(cfg)) {
            return null;
        }
        int crop = cfg.testCropSize();
        if (crop < 1) {
            throw new SpinException("DATA.TEST_CROP_SIZE " + crop + " must be at least 1 pixel");
        }
        return ImageTransform.eval(crop, Resample.Filter.parse(cfg.interpolation()));
    }

    /** The training transform of a streamed data set: random-resized crop and flip, or the evaluation one without AUG. */
    static ImageTransform trainTransform(DataConfig cfg) {
        if (!cfg.augment()) {
            return ImageTransform.eval(imageSize(cfg), Resample.Filter.parse(cfg.interpolation()));
        }
        double[] scale = range("DATA.TRAIN_JITTER_SCALES_RELATIVE", cfg.jitterScale(), true);
        double[] ratio = range("DATA.TRAIN_JITTER_ASPECT_RELATIVE", cfg.jitterAspect(), false);
        Resample.Filter filter = Resample.Filter.parse(cfg.interpolation());
        return ImageTransform.train(imageSize(cfg), scale, ratio, filter, colour(cfg, filter));
    }

    /** timm's second stage: RandAugment from {@code AUG.AA_TYPE}; without a policy, colour jitter if {@code AUG.COLOR_JITTER} > 0. */
    static ImageTransform.Colour colour(DataConfig cfg, Resample.Filter filter) {
        String policy = cfg.autoAugment() == null ? "" : cfg.autoAugment().strip();
        if (!policy.isEmpty() && !policy.equalsIgnoreCase("none")) {
            return RandAugment.parse(policy, cfg.mean(), filter);
        }
        return cfg.colorJitter() > 0 ? new ColorJitter(cfg.colorJitter()) : null;
    }

    /** timm's random erasing from {@code AUG.RE_PROB}, {@code RE_MODE}, {@code RE_COUNT} and {@code RE_SPLIT}. */
    static RandomErasing erasing(DataConfig cfg) {
        if (cfg.erasingSplit()) {
            throw new SpinException("AUG.RE_SPLIT True keeps the clean one of several augmentation splits (timm's"
                    + " --aug-splits, AugMix), which we do not make; expected False");
        }
        return new RandomErasing(cfg.erasingProbability(), cfg.erasingCount(), RandomErasing.mode(cfg.erasingMode()));
    }

    private static double[] range(String key, List<Double> values, boolean fraction) {
        if (values == null || values.size() != 2 || !(values.get(0) > 0) || !(values.get(0) <= values.get(1))
                || (fraction && values.get(1) > 1) || Double.isInfinite(values.get(1))) {
            throw new SpinException(key + " " + values + " must be two numbers lo <= hi, "
                    + (fraction ? "in (0, 1], e.g. [0.08, 1.0]" : "positive, e.g. [0.75, 1.3333]"));
        }
        return new double[] {values.get(0), values.get(1)};
    }

    /** The split in memory, for the data sets held so. */
    public static ImageSet load(DataConfig cfg, boolean train) {
        if (streams(cfg)) {
            throw new SpinException("TRAIN.DATASET " + cfg.dataset() + " is read from its files as it is needed, not"
                    + " loaded into memory; use its loader");
        }
        ImageSet data = read(cfg, train);
        int maxLabel = Arrays.stream(data.labels()).max().orElse(0);
        checkClasses(cfg, maxLabel + 1);
        return data;
    }

    private static void checkClasses(DataConfig cfg, int needed) {
        if (needed > cfg.numClasses()) {
            throw new SpinException("MODEL.NUM_CLASSES " + cfg.numClasses() + " is too small for " + cfg.dataset()
                    + ", whose labels go up to " + (needed - 1) + "; set MODEL.NUM_CLASSES " + needed);
        }
    }

    private static ImageSet read(DataConfig cfg, boolean train) {
        if (cfg.dataset().equals("synthetic") && cfg.hasDataDir()) {
            // a path the user gave is used or refused, never ignored
            throw new SpinException("TRAIN.DATASET synthetic is generated and reads no files, but DATA.PATH_TO_DATA_DIR is "
                    + cfg.dataDir() + "; leave it empty, or name the data set that folder holds");
        }
        return switch (cfg.dataset()) {
            case "fashion_mnist" -> FashionMnist.load(cfg.dataDir(), train);
            // A learnable stand-in for tests and benchmarks; the split is a distinct seed.
            case "synthetic" -> SyntheticImages.generate(train ? 4096 : 1024, cfg.numClasses(), 1,
                    FASHION_MNIST_SIZE, cfg.seed() * 2L + (train ? 0 : 1));
            case "cifar10" -> Cifar10.load(dataDir(cfg), train);
            default -> throw unknown(cfg);
        };
    }

    /**
     * The Debian package to install when {@code TRAIN.DATASET} reads its default location (an
     * empty {@code DATA.PATH_TO_DATA_DIR}) and the files are not there; empty when nothing is missing
     * or the config names a folder of its own (which is then used or refused, never replaced).
     */
    public static Optional<String> missingDebianPackage(DataConfig cfg) {
        boolean atDefault = !cfg.hasDataDir();
        return cfg.dataset().equals("fashion_mnist") && atDefault && !FashionMnist.present(null)
                ? Optional.of(FashionMnist.DEBIAN_PACKAGE) : Optional.empty();
    }

    /**
     * What the labels of {@code TRAIN.DATASET} mean, index = label; empty when they have no names
     * worth showing a user (the synthetic set's are generated descriptions, not classes). Reads
     * only the names (CIFAR-10's meta file, the class folders), not the images.
     */
    public static List<String> classNames(DataConfig cfg) {
        return switch (cfg.dataset()) {
            case "fashion_mnist" -> FashionMnist.CLASS_NAMES;
            case "cifar10" -> Cifar10.classNames(dataDir(cfg));
            case "image_folder", "imagenet" -> FileIndex.classNames(dataDir(cfg));
            default -> List.of();
        };
    }

    /** The split's batches: streamed from an image folder, or cut from the split in memory. */
    public static Loader loader(DataConfig cfg, boolean train) {
        if (!streams(cfg)) {
            return loader(cfg, load(cfg, train), train).mixing(cfg.mixup()).repeating(cfg.repeatedAug());
        }
        FileIndex index = FileIndex.of(dataDir(cfg), train);
        checkClasses(cfg, index.classNames().size());
        ImageTransform transform = train ? trainTransform(cfg) : evalTransform(cfg);
        RandomErasing erasing = train && cfg.augment() && cfg.erasingProbability() > 0 ? erasing(cfg) : null;
        return new StreamingLoader(index, transform, erasing, batchSize(cfg, train), train, cfg.seed(),
                cfg.inputChannels(), cfg.mean(), cfg.std(), decodingThreads(cfg)).mixing(cfg.mixup())
                .repeating(cfg.repeatedAug());
    }

    public static BatchLoader loader(DataConfig cfg, ImageSet data, boolean train) {
        return new BatchLoader(data, batchSize(cfg, train), train, cfg.seed(), cfg.inputChannels(), cfg.mean(), cfg.std(),
                train && cfg.augment(), Math.max(1, cfg.numWorkers()));
    }

    private static int batchSize(DataConfig cfg, boolean train) {
        int batch = train ? cfg.trainBatchSize() : cfg.testBatchSize();
        if (batch < 1) {
            throw new SpinException((train ? "TRAIN" : "TEST") + ".BATCH_SIZE " + batch + " must be at least 1");
        }
        return batch;
    }

    /** DATA_LOADER.NUM_WORKERS when set above 0, else one per available processor (streamed data sets). */
    static int decodingThreads(DataConfig cfg) {
        int workers = cfg.numWorkers();
        return workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
    }

    /** DATA.PATH_TO_DATA_DIR, which the data sets without a default location need. */
    private static Path dataDir(DataConfig cfg) {
        if (!cfg.hasDataDir()) {
            throw new SpinException("TRAIN.DATASET " + cfg.dataset() + " needs DATA.PATH_TO_DATA_DIR, the folder"
                    + " holding it; nothing is downloaded");
        }
        return Path.of(cfg.dataDir());
    }

    private static SpinException unknown(DataConfig cfg) {
        String name = cfg.dataset();
        return new SpinException("TRAIN.DATASET " + name + " is not available; valid: " + VALID);
    }
}
