package org.spin.cli;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.repository.zoo.ZooModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spin.SpinException;
import org.spin.deploy.OnnxClassifier;
import org.spin.predict.ImageFiles;
import org.spin.predict.TrainedModel;
import org.spin.runtime.EngineSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Classifies image files through the same DJL path a library user takes ({@link TrainedModel#criteria()}),
 * or, with {@code --engine onnxruntime}, an exported file through {@link OnnxClassifier} (no libtorch).
 * No {@code KEY VALUE} overrides here: they would be indistinguishable from image names.
 */
@Command(name = "predict", description = "Top-5 classes and their probabilities for each image (PNG, JPEG).")
final class PredictCommand implements Callable<Integer> {

    @Option(names = "--weights", required = true, paramLabel = "W",
            description = "Our .safetensors checkpoint, or the reference's .pth/.pyth (give --cfg then).")
    Path weights;

    @Option(names = "--cfg", paramLabel = "FILE", description = "YAML config over the checkpoint's own.")
    Path cfg;

    @Option(names = "--top", paramLabel = "K", defaultValue = "5", description = "Classes per image (default: 5).")
    int top;

    @Option(names = "--threads", paramLabel = "N", description = "Engine intra-op threads (default: what this process may use: OMP_NUM_THREADS, SLURM_CPUS_PER_TASK, else its CPU affinity and quota).")
    int threads;

    @Option(names = "--engine", paramLabel = "E", defaultValue = "pytorch",
            description = "pytorch (default: our model on DJL and libtorch) or onnxruntime (--weights is then a .onnx file from spin export; no libtorch).")
    String engine;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Image files (PNG, JPEG).")
    List<Path> images;

    /** Every image is tried; one that cannot be read is reported and makes the exit status 2. */
    @Override
    public Integer call() throws Exception {
        if (top < 1) {
            throw new SpinException("--top " + top + " must be at least 1");
        }
        String e = engine.toLowerCase(Locale.ROOT);
        if (e.equals("onnxruntime")) {
            if (cfg != null) {
                throw new SpinException("--cfg " + cfg + " does not apply to an ONNX file: its preprocessing and classes"
                        + " are in its own metadata");
            }
            try (OnnxClassifier model = OnnxClassifier.open(weights, threads)) {
                return predictAll(model::classify);
            }
        }
        if (!e.equals("pytorch")) {
            throw new SpinException("--engine " + engine + " is not known; expected pytorch or onnxruntime");
        }
        EngineSetup.configure(threads, EngineSetup.Waiting.SHORT_SPIN);
        TrainedModel trained = TrainedModel.read(weights);
        if (cfg != null) {
            trained = trained.withConfig(trained.cfg().withYaml(cfg));
            trained.cfg().ignoredKeysWarning().ifPresent(System.err::println);
        }
        try (ZooModel<Image, Classifications> model = trained.criteria().loadModel();
             Predictor<Image, Classifications> predictor = model.newPredictor()) {
            return predictAll(predictor::predict);
        }
    }

    /** A model's answer for one image (checked exceptions as DJL's predictor throws them). */
    private interface Classifier {
        Classifications classify(Image image) throws Exception;
    }

    private int predictAll(Classifier model) throws Exception {
        int failed = 0;
        for (Path file : images) {
            Image image;
            try {
                image = ImageFiles.read(file);
            } catch (SpinException e) {
                System.err.println("spin: " + e.getMessage());
                failed++;
                continue;
            }
            System.out.println(file);
            for (Classifications.Classification c : model.classify(image).topK(top)) {
                System.out.printf(Locale.ROOT, "  %.4f  %s%n", c.getProbability(), c.getClassName());
            }
        }
        return failed == 0 ? 0 : 2;
    }
}
