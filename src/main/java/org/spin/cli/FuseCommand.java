package org.spin.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.spin.fusion.Fuse;
import org.spin.workflow.Session;
import org.spin.workflow.Spin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "fuse", description = "Export a fusion model (REDUCTION_FN set) as the compact shared model: one weight per slot.")
final class FuseCommand implements Callable<Integer> {

    @Mixin
    ModelOptions opts;

    @Option(names = "--weights", required = true, paramLabel = "WF", description = "Fusion checkpoint (ours, or a reference .pth with --cfg).")
    Path weights;

    @Option(names = "--output", required = true, paramLabel = "COMPACT", description = "safetensors file to write.")
    Path output;

    @Override
    public Integer call() {
        opts.setUpEngine();
        Session.Weights w = Session.read(weights, base -> opts.resolve(base, Map.of()));
        Fuse.Export r = Spin.fuse(w, output);
        System.out.printf("fused %s -> %s: %,d -> %,d trainable params, %,d -> %,d bytes; max |logit diff| %.2e"
                + " on a random batch%n", weights, output, r.paramsBefore(), r.paramsAfter(), r.bytesBefore(),
                r.bytesAfter(), r.maxDiff());
        return 0;
    }
}
