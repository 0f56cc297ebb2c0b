package org.spin.predict;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.ZooModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.data.FashionMnist;
import org.spin.testing.ReadmeExamples;

/**
 * The README's Java example runs as printed: the method below is the README's code block,
 * character for character (a test checks), and another test runs it on a checkpoint.
 */
class ReadmeExampleTest {

    private static final Path SOURCE = Path.of("src/test/java/org/spin/predict/ReadmeExampleTest.java");

    @TempDir
    Path tmp;

    // README example begins
    static Classifications classify(Path checkpoint, Path imageFile) throws Exception {
        TrainedModel trained = TrainedModel.read(checkpoint); // config, weights, class names
        try (ZooModel<Image, Classifications> model = trained.criteria().loadModel();
             Predictor<Image, Classifications> predictor = model.newPredictor()) {
            Image image = ImageFactory.getInstance().fromFile(imageFile);
            return predictor.predict(image); // .best(), .topK(5): class names and probabilities
        }
    }
    // README example ends

    @Test
    void theExampleClassifiesAnImageWithTheCheckpointsClassNames() throws Exception {
        Path checkpoint = TinyCheckpoints.write(tmp, "best", "fashion_mnist", 1);
        Path image = TestImages.gray(tmp.resolve("shirt.png"), TestImages.randomGray(28, 28, 5));
        Classifications c = classify(checkpoint, image);
        assertThat(c.getClassNames()).isEqualTo(FashionMnist.CLASS_NAMES);
        assertThat(c.getProbabilities().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(c.topK(5)).hasSize(5);
    }

    @Test
    void theReadmeShowsExactlyTheCodeThisTestRuns() throws Exception {
        assertThat(ReadmeExamples.inReadme("TrainedModel")).isEqualTo(ReadmeExamples.inTest(SOURCE));
    }
}
