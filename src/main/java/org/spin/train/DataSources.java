package org.spin.train;

import java.util.List;
import java.util.Locale;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.data.BatchLoader;
import org.spin.data.FashionMnist;
import org.spin.data.ImageSet;
import org.spin.data.SyntheticImages;

/** The data sets {@code TRAIN.DATASET} can name, and the loaders the config describes. */
public final class DataSources {

    /** Side of the images of every data set we have (Fashion-MNIST's 28). */
    public static final int IMAGE_SIZE = 28;

    private DataSources() {}

    public static ImageSet load(SpinConfig cfg, boolean train) {
        ImageSet data = read(cfg, train);
        int classes = cfg.getInt("MODEL.NUM_CLASSES");
        int maxLabel = java.util.Arrays.stream(data.labels()).max().orElse(0);
        if (maxLabel >= classes) {
            throw new SpinException("MODEL.NUM_CLASSES " + classes + " is too small for " + cfg.getString("TRAIN.DATASET")
                    + ", whose labels go up to " + maxLabel + "; set MODEL.NUM_CLASSES " + (maxLabel + 1));
        }
        return data;
    }

    private static ImageSet read(SpinConfig cfg, boolean train) {
        String name = cfg.getString("TRAIN.DATASET").toLowerCase(Locale.ROOT);
        return switch (name) {
            case "fashion_mnist" -> FashionMnist.load(cfg.getString("DATA.PATH_TO_DATA_DIR"), train);
            // A learnable stand-in for tests and benchmarks; the split is a distinct seed.
            case "synthetic" -> SyntheticImages.generate(train ? 4096 : 1024, cfg.getInt("MODEL.NUM_CLASSES"), 1,
                    IMAGE_SIZE, cfg.getInt("RNG_SEED") * 2L + (train ? 0 : 1));
            default -> throw new SpinException("TRAIN.DATASET " + name
                    + " is not available yet; valid: fashion_mnist, synthetic");
        };
    }

    /**
     * What the labels of {@code TRAIN.DATASET} mean, index = label; empty when they have no names
     * worth showing a user (the synthetic set's are generated descriptions, not classes).
     */
    public static List<String> classNames(SpinConfig cfg) {
        return switch (cfg.getString("TRAIN.DATASET").toLowerCase(Locale.ROOT)) {
            case "fashion_mnist" -> FashionMnist.CLASS_NAMES;
            default -> List.of();
        };
    }

    public static BatchLoader loader(SpinConfig cfg, ImageSet data, boolean train) {
        int batch = cfg.getInt(train ? "TRAIN.BATCH_SIZE" : "TEST.BATCH_SIZE");
        if (batch < 1) {
            throw new SpinException((train ? "TRAIN" : "TEST") + ".BATCH_SIZE " + batch + " must be at least 1");
        }
        return new BatchLoader(data, batch, train, cfg.getInt("RNG_SEED"),
                cfg.getIntList("DATA.INPUT_CHANNEL_NUM").get(0), cfg.getDoubleList("DATA.MEAN"),
                cfg.getDoubleList("DATA.STD"), train && cfg.getBool("AUG.ENABLE"),
                Math.max(1, cfg.getInt("DATA_LOADER.NUM_WORKERS")));
    }
}
