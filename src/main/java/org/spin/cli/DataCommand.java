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
        DataConfig data = DataConfig.from(cfg);
        ImageSet train = data.load(true);
        ImageSet test = data.load(false);
        System.out.printf("%s%s: train %,d images, test %,d, %d classes, %dx%dx%d (channels x height x width)%n",
                cfg.getString("TRAIN.DATASET"), data.hasDataDir() ? " in " + data.dataDir() : "", train.n(),
                test.n(), train.numClasses(), train.channels(), train.height(), train.width());
        System.out.printf("the model sees %dx%d images with %s channel(s); classes: %s%n", data.imageSize(),
                data.imageSize(), data.inputChannels(),
                String.join(", ", train.classNames()));
        return 0;
    }
}
