package org.spin.cli;

import java.util.concurrent.Callable;
import org.spin.config.SpinConfig;
import org.spin.data.ImageSet;
import org.spin.data.DataConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "data", description = "Check (and set up) the config's data set: both splits' sizes, classes and image shape.")
final class DataCommand implements Callable<Integer> {

    @Mixin
    ModelOptions opts;

    @Override
    public Integer call() {
        SpinConfig cfg = opts.resolve();
        DataSetSetup.ensure(cfg);
        ImageSet train = DataConfig.from(cfg).load(true);
        ImageSet test = DataConfig.from(cfg).load(false);
        String dir = cfg.getString("DATA.PATH_TO_DATA_DIR");
        System.out.printf("%s%s: train %,d images, test %,d, %d classes, %dx%dx%d (channels x height x width)%n",
                cfg.getString("TRAIN.DATASET"), dir == null || dir.isBlank() ? "" : " in " + dir.strip(), train.n(),
                test.n(), train.numClasses(), train.channels(), train.height(), train.width());
        System.out.printf("the model sees %dx%d images with %s channel(s); classes: %s%n", DataConfig.from(cfg).imageSize(),
                DataConfig.from(cfg).imageSize(), cfg.getIntList("DATA.INPUT_CHANNEL_NUM").get(0),
                String.join(", ", train.classNames()));
        return 0;
    }
}
