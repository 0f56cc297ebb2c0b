package org.spin.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.spin.SpinException;
import org.spin.deploy.OnnxExporter;
import org.spin.predict.ServingPackage;
import org.spin.workflow.Session;
import org.spin.workflow.Spin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Ships a trained model: an ONNX file (each shared slot once) or a DJL Serving model directory. */
@Command(name = "export", description = "Write a trained model as an ONNX file (ONNX Runtime, no libtorch) or a DJL Serving model directory.")
final class ExportCommand implements Callable<Integer> {

    @Mixin
    ModelOptions opts;

    @Option(names = "--format", paramLabel = "F", defaultValue = "onnx",
            description = "onnx (default): one .onnx file; djl-serving: a model directory (serving.properties, weights, libs/).")
    String format;

    @Option(names = "--weights", required = true, paramLabel = "W",
            description = "Our .safetensors checkpoint (a fusion model is written fused), or the reference's .pth with --cfg.")
    Path weights;

    @Option(names = "--output", required = true, paramLabel = "PATH", description = "The .onnx file, or the directory, to write.")
    Path output;

    @Override
    public Integer call() {
        switch (format.toLowerCase(Locale.ROOT)) {
            case "onnx" -> {
                opts.setUpEngine();
                Session.Weights w = Session.read(weights, base -> opts.resolve(base, Map.of()));
                OnnxExporter.Written r = Spin.exportOnnx(w, output);
                System.out.printf(Locale.ROOT, "exported %s -> %s: %,d bytes (weights %,d, graph and metadata %,d);"
                        + " %,d unique parameters, %,d initializers%n", weights, output, r.fileBytes(), r.weightBytes(),
                        r.graphBytes(), r.uniqueParams(), r.initializers());
                System.out.printf(Locale.ROOT, "unshared model: %,d parameters, %,d bytes of weights; this file is"
                        + " %.2fx that%n", r.unsharedParams(), r.unsharedBytes(), (double) r.fileBytes() / r.unsharedBytes());
            }
            case "djl-serving" -> {
                if (opts.cfg != null || opts.model != null || opts.shareRate != null || !opts.overrides.isEmpty()) {
                    throw new SpinException("export --format djl-serving packages the checkpoint as it is, with its own"
                            + " config; --cfg, --model, --share-rate and KEY VALUE overrides do not apply");
                }
                ServingPackage.Written r = ServingPackage.write(weights, output, ServingPackage.runningJars());
                System.out.printf(Locale.ROOT, "wrote DJL Serving model directory %s: %d files, %,d bytes%n", output,
                        r.files().size(), r.totalBytes());
                r.files().forEach(f -> System.out.printf(Locale.ROOT, "  %-40s %,14d%n", f.path(), f.bytes()));
            }
            default -> throw new SpinException("--format " + format + " is not known; expected onnx or djl-serving");
        }
        return 0;
    }
}
