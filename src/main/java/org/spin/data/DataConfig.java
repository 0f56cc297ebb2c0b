package org.spin.data;

import java.util.List;
import java.util.Locale;
import org.spin.SpinException;
import org.spin.config.SpinConfig;

/**
 * The data keys of a config, read once: which data set, where, its preprocessing and batching.
 * The data layer takes this record, not the config.
 *
 * @param dataset        {@code TRAIN.DATASET}, lower case
 * @param dataDir        {@code DATA.PATH_TO_DATA_DIR}, stripped; empty for the data set's default location
 * @param trainCropSize  {@code DATA.TRAIN_CROP_SIZE}: the input side for image folders and {@code imagenet}
 * @param testCropSize   {@code DATA.TEST_CROP_SIZE}: the evaluation crop of image folders
 * @param jitterScale    {@code DATA.TRAIN_JITTER_SCALES_RELATIVE}: the random-resized crop's area range
 * @param jitterAspect   {@code DATA.TRAIN_JITTER_ASPECT_RELATIVE}: its aspect-ratio range
 * @param interpolation  {@code AUG.INTERPOLATION}
 * @param autoAugment    {@code AUG.AA_TYPE}: a RandAugment policy, or empty / {@code none}
 * @param colorJitter    {@code AUG.COLOR_JITTER}, used only without a RandAugment policy (as timm)
 * @param repeatedAug    {@code TRAIN.REPEATED_AUG}: copies of each image an epoch draws (1: off)
 * @param erasingProbability {@code AUG.RE_PROB}, with {@code RE_MODE}, {@code RE_COUNT}, {@code RE_SPLIT}: random erasing
 * @param mixup          {@code MIXUP.*}: Mixup/CutMix of training batches, or null when {@code MIXUP.ENABLE} is False
 * @param numWorkers     {@code DATA_LOADER.NUM_WORKERS}: 0 or less is one decoding thread per processor
 */
public record DataConfig(String dataset, String dataDir, int numClasses, long seed, int inputChannels,
                         List<Double> mean, List<Double> std, int trainCropSize, int testCropSize,
                         List<Double> jitterScale, List<Double> jitterAspect, String interpolation,
                         String autoAugment, double colorJitter,
                         double erasingProbability, String erasingMode, int erasingCount, boolean erasingSplit,
                         int trainBatchSize, int testBatchSize, boolean augment, Mixup mixup, int numWorkers,
                         int repeatedAug) {

    public static DataConfig from(SpinConfig cfg) {
        if (cfg.getInt("DATA.NUM_FRAMES") != 1) {
            throw new SpinException("DATA.NUM_FRAMES " + cfg.getInt("DATA.NUM_FRAMES") + " asks for video clips; these"
                    + " data sets are images, one frame each: expected 1");
        }
        String dir = cfg.getString("DATA.PATH_TO_DATA_DIR");
        return new DataConfig(cfg.getString("TRAIN.DATASET").toLowerCase(Locale.ROOT), dir == null ? "" : dir.strip(),
                cfg.getInt("MODEL.NUM_CLASSES"), cfg.getInt("RNG_SEED"), cfg.getIntList("DATA.INPUT_CHANNEL_NUM").get(0),
                cfg.getDoubleList("DATA.MEAN"), cfg.getDoubleList("DATA.STD"), cfg.getInt("DATA.TRAIN_CROP_SIZE"),
                cfg.getInt("DATA.TEST_CROP_SIZE"), cfg.getDoubleList("DATA.TRAIN_JITTER_SCALES_RELATIVE"),
                cfg.getDoubleList("DATA.TRAIN_JITTER_ASPECT_RELATIVE"), cfg.getString("AUG.INTERPOLATION"),
                cfg.getString("AUG.AA_TYPE"), cfg.getDouble("AUG.COLOR_JITTER"),
                cfg.getDouble("AUG.RE_PROB"), cfg.getString("AUG.RE_MODE"), cfg.getInt("AUG.RE_COUNT"),
                cfg.getBool("AUG.RE_SPLIT"),
                cfg.getInt("TRAIN.BATCH_SIZE"), cfg.getInt("TEST.BATCH_SIZE"), cfg.getBool("AUG.ENABLE"),
                !cfg.getBool("MIXUP.ENABLE") ? null : new Mixup(cfg.getDouble("MIXUP.ALPHA"),
                        cfg.getDouble("MIXUP.CUTMIX_ALPHA"), cfg.getDouble("MIXUP.PROB"), cfg.getDouble("MIXUP.SWITCH_PROB"),
                        cfg.getDouble("MIXUP.LABEL_SMOOTH_VALUE"), cfg.getInt("MODEL.NUM_CLASSES")),
                cfg.getInt("DATA_LOADER.NUM_WORKERS"), cfg.getInt("TRAIN.REPEATED_AUG"));
    }

    /** Whether {@code DATA.PATH_TO_DATA_DIR} names a folder (else: the data set's default location). */
    public boolean hasDataDir() {
        return !dataDir.isEmpty();
    }

    /** Side of the square images the data set feeds the model ({@link DataSources#imageSize}). */
    public int imageSize() {
        return DataSources.imageSize(this);
    }

    /** The batches of the train or test split, checked against {@code MODEL.NUM_CLASSES}: streamed or in memory. */
    public Loader loader(boolean train) {
        return DataSources.loader(this, train);
    }

    /** The train or test split in memory, for the data sets held so (not image folders, which stream). */
    public ImageSet load(boolean train) {
        return DataSources.load(this, train);
    }

    /** Batches of an in-memory {@code data} as the config describes them (augmented only when training). */
    public BatchLoader loader(ImageSet data, boolean train) {
        return DataSources.loader(this, data, train);
    }

    /** The batch size of the evaluation loader replaced, e.g. to run an analysis in one batch. */
    public DataConfig withTestBatchSize(int batch) {
        return new DataConfig(dataset, dataDir, numClasses, seed, inputChannels, mean, std, trainCropSize, testCropSize,
                jitterScale, jitterAspect, interpolation, autoAugment, colorJitter, erasingProbability, erasingMode, erasingCount, erasingSplit,
                trainBatchSize, batch, augment, mixup, numWorkers, repeatedAug);
    }
}
