package org.spin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.ZooModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.predict.TestImages;
import org.spin.predict.TinyCheckpoints;
import org.spin.predict.TrainedModel;

/** {@code spin predict} as a user meets it: top-5 per image, a bad file reported without stopping the rest. */
class PredictCommandTest {

    @TempDir
    Path tmp;

    /** What the command should print for one image: the library's top K through the same path. */
    private static List<String> expectedLines(Path weights, Path imageFile, int k) throws Exception {
        List<String> lines = new ArrayList<>(List.of(imageFile.toString()));
        try (ZooModel<Image, Classifications> model = TrainedModel.read(weights).criteria().loadModel();
             Predictor<Image, Classifications> predictor = model.newPredictor()) {
            for (Classifications.Classification c : predictor.predict(ImageFactory.getInstance().fromFile(imageFile)).topK(k)) {
                lines.add(String.format(Locale.ROOT, "  %.4f  %s", c.getProbability(), c.getClassName()));
            }
        }
        return lines;
    }

    private static List<String> lines(String s) {
        return s.isEmpty() ? List.of() : List.of(s.split("\\R"));
    }

    @Test
    void printsTheTopFiveClassesAndProbabilitiesForEachImage() throws Exception {
        Path weights = TinyCheckpoints.write(tmp, "best", "fashion_mnist", 1);
        Path a = TestImages.gray(tmp.resolve("a.png"), TestImages.randomGray(28, 28, 1));
        Path b = TestImages.rgb(tmp.resolve("b.jpg"), TestImages.randomRgb(64, 48, 2));
        CliTest.Outcome o = CliTest.run("predict", "--weights", weights.toString(), a.toString(), b.toString());
        assertThat(o.code()).as(o.err()).isZero();
        List<String> want = new ArrayList<>(expectedLines(weights, a, 5));
        want.addAll(expectedLines(weights, b, 5));
        assertThat(lines(o.out())).isEqualTo(want);
        assertThat(o.out()).contains("  Trouser").doesNotContain("class 0");
    }

    @Test
    void topSetsHowManyClassesArePrinted() throws Exception {
        Path weights = TinyCheckpoints.write(tmp, "best", "synthetic", 1);
        Path a = TestImages.gray(tmp.resolve("a.png"), TestImages.randomGray(28, 28, 3));
        CliTest.Outcome o = CliTest.run("predict", "--top", "2", "--weights", weights.toString(), a.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(lines(o.out())).isEqualTo(expectedLines(weights, a, 2)).hasSize(3);
        assertThat(o.out()).contains("  class ");
    }

    @Test
    void aNonImageAndAMissingFileAreReportedWhileTheOtherImageIsStillPredicted() throws Exception {
        Path weights = TinyCheckpoints.write(tmp, "best", "fashion_mnist", 1);
        Path text = Files.writeString(tmp.resolve("notes.png"), "not an image\n");
        Path missing = tmp.resolve("missing.png");
        Path good = TestImages.gray(tmp.resolve("good.png"), TestImages.randomGray(28, 28, 4));
        CliTest.Outcome o = CliTest.run("predict", "--weights", weights.toString(), text.toString(), missing.toString(),
                good.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(lines(o.out())).isEqualTo(expectedLines(weights, good, 5));
        assertThat(lines(o.err())).containsExactly(
                "spin: " + text + ": not a readable image; expected a PNG or JPEG file",
                "spin: " + missing + ": no such image file");
    }

    @Test
    void aDirectoryGivenAsAnImageIsReported() throws Exception {
        Path weights = TinyCheckpoints.write(tmp, "best", "fashion_mnist", 1);
        Path dir = Files.createDirectory(tmp.resolve("photos"));
        CliTest.Outcome o = CliTest.run("predict", "--weights", weights.toString(), dir.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err().strip()).isEqualTo("spin: " + dir + ": is a directory; expected a PNG or JPEG image file");
    }

    @Test
    void missingWeightsAreAOneLineError() {
        Path weights = tmp.resolve("nope.safetensors");
        CliTest.Outcome o = CliTest.run("predict", "--weights", weights.toString(), "a.png");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err().strip()).isEqualTo("spin: " + weights + ": no such weights file");
        assertThat(o.out()).isEmpty();
    }

    @Test
    void noImagesIsAUsageError() {
        CliTest.Outcome o = CliTest.run("predict", "--weights", tmp.resolve("w.safetensors").toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("IMAGE");
    }
}
