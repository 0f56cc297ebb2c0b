package org.spin.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import org.spin.SpinException;
import org.spin.io.HostTensor;
import org.spin.io.SafeTensors;
import org.spin.io.SafeTensorsFile;
import org.spin.model.HostArrays;
import org.spin.model.SpinModel;
import org.spin.runtime.Autograd;
import org.spin.runtime.EngineSetup;
import org.spin.workflow.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "infer", description = "Eval-mode logits for the tensor 'input' of a safetensors file.")
final class InferCommand implements Callable<Integer> {

    @Mixin
    ModelOptions opts;

    @Option(names = "--weights", required = true, paramLabel = "W", description = "Checkpoint (.safetensors, .pth, .pyth).")
    Path weights;

    @Option(names = "--input", required = true, paramLabel = "IN", description = "safetensors with 'input' (B, C, H, W).")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "OUT", description = "safetensors to write 'logits' to.")
    Path output;

    @Override
    public Integer call() {
        opts.setUpEngine(EngineSetup.Waiting.SHORT_SPIN);
        Session.Weights w = Session.read(weights, base -> opts.resolve(base, Map.of()));
        SafeTensorsFile in = SafeTensors.read(input);
        HostTensor x = in.tensors().get("input");
        if (x == null) {
            throw new SpinException(input + ": no tensor named 'input' (found " + in.tensors().keySet() + ")");
        }
        if (x.shape().length != 4 || x.shape()[2] != x.shape()[3]) {
            throw new SpinException(input + ": 'input' has shape " + Arrays.toString(x.shape())
                    + "; expected (batch, channels, size, size)");
        }
        int channels = w.cfg().getIntList("DATA.INPUT_CHANNEL_NUM").get(0);
        if (x.shape()[1] != channels) {
            throw new SpinException(input + ": 'input' has " + x.shape()[1] + " channels but the model takes "
                    + channels + " (DATA.INPUT_CHANNEL_NUM)");
        }
        try (Session wb = Session.running(w.cfg()); NDManager scope = wb.manager().newSubManager();
             Autograd.Scope inference = Autograd.paused()) {
            wb.notice().ifPresent(System.err::println);
            SpinModel model = wb.load(w, (int) x.shape()[2]);
            NDArray logits = model.forward(scope.create(x.toFloats(), new Shape(x.shape())), false);
            SafeTensors.write(output, Map.of("logits", HostArrays.toHost(logits)), Map.of());
            System.out.println("wrote logits " + logits.getShape() + " to " + output);
        }
        return 0;
    }
}
