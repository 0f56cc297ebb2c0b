package org.spin.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.ZooModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.predict.TestImages;
import org.spin.predict.TinyCheckpoints;
import org.spin.predict.TrainedModel;
import org.spin.testing.ReadmeExamples;
import org.spin.workflow.Spin;

/**
 * The README's ONNX example runs as printed: the method below is the README's code block,
 * character for character (a test checks), and another test runs it on a checkpoint.
 */
class OnnxReadmeExampleTest {

    private static final Path SOURCE = Path.of("src/test/java/org/spin/deploy/OnnxReadmeExampleTest.java");

    @TempDir
    Path tmp;

    // README example begins
    static Classifications exportAndClassify(Path checkpoint, Path onnx, Path imageFile) throws Exception {
        Spin.exportOnnx(checkpoint, onnx); // the compact model, each shared weight stored once
        try (OnnxClassifier model = OnnxClassifier.open(onnx, 2)) { // 2 threads; ONNX Runtime, no libtorch
            Image image = ImageFactory.getInstance().fromFile(imageFile);
            return model.classify(image); // prepared as the file's metadata says; .best(), .topK(5)
        }
    }
    // README example ends

    @Test
    void theExampleAnswersWhatTheCheckpointAnswers() throws Exception {
        Path checkpoint = TinyCheckpoints.write(tmp, "best", "fashion_mnist", 1);
        Path image = TestImages.gray(tmp.resolve("shirt.png"), TestImages.randomGray(28, 28, 5));
        Classifications onnx = exportAndClassify(checkpoint, tmp.resolve("model.onnx"), image);
        Classifications torch;
        try (ZooModel<Image, Classifications> model = TrainedModel.read(checkpoint).criteria().loadModel();
             Predictor<Image, Classifications> predictor = model.newPredictor()) {
            torch = predictor.predict(ImageFactory.getInstance().fromFile(image));
        }
        assertThat(onnx.getClassNames()).isEqualTo(torch.getClassNames());
        for (int i = 0; i < torch.getProbabilities().size(); i++) {
            assertThat(onnx.getProbabilities().get(i)).as(torch.getClassNames().get(i))
                    .isCloseTo(torch.getProbabilities().get(i), within(1e-5));
        }
    }

    @Test
    void theReadmeShowsExactlyTheCodeThisTestRuns() throws Exception {
        assertThat(ReadmeExamples.inReadme("OnnxClassifier.open")).isEqualTo(ReadmeExamples.inTest(SOURCE));
    }
}
