package org.spin.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.spin.train.EvalResult;
import org.spin.workflow.Session;
import org.spin.workflow.Spin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", description = "Top-1, top-5 and loss of a checkpoint on the test split.")
final class EvalCommand implements Callable<Integer> {

    @Mixin
    ModelOptions opts;

    @Option(names = "--weights", required = true, paramLabel = "W",
            description = "Our .safetensors checkpoint, or the reference's .pth/.pyth (give --cfg then).")
    Path weights;

    @Override
    public Integer call() {
        opts.setUpEngine();
        Session.Weights w = Session.read(weights, base -> opts.resolve(base, Map.of()));
        DataSetSetup.ensure(w.cfg());
        EvalResult r = Spin.evaluate(w);
        System.out.printf("%s on %s test (%d images): top-1 %.2f%%, top-5 %.2f%%, loss %.4f%n", weights,
                w.cfg().getString("TRAIN.DATASET"), r.samples(), 100 * r.top1(), 100 * r.top5(), r.loss());
        return 0;
    }
}
