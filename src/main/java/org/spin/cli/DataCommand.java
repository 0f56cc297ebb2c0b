package org.spin.cli;

import java.util.concurrent.Callable;
import org.spin.config.SpinConfig;
import org.spin.data.BatchLoader;
import org.spin.data.DataConfig;
import org.spin.data.Loader;
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
        Loader train = data.loader(true);
        Loader test = data.loader(false);
        String shape = train instanceof BatchLoader b ? String.format(", %dx%dx%d (channels x height x width)",
                b.data().channels(), b.data().height(), b.data().width()) : ", read from their files as needed";
        System.out.printf("%s%s: train %,d images, test %,d, %d classes%s%n", cfg.getString("TRAIN.DATASET"),
                data.hasDataDir() ? " in " + data.dataDir() : "", train.size(), test.size(), train.classNames().size(),
                shape);
        System.out.printf("the model sees %dx%d images with %s channel(s); classes: %s%n", data.imageSize(),
                data.imageSize(), data.inputChannels(),
                String.join(", ", train.classNames()));
        return 0;
    }
}
