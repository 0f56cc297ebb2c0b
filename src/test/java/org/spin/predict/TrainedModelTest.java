package org.spin.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.ZooModel;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spin.data.FashionMnist;
import org.spin.model.SpinModel;

/** A checkpoint run through DJL's Criteria → ZooModel → Predictor path with our translator. */
class TrainedModelTest {

    @TempDir
    Path tmp;

    /** Softmax of the logits SpinModel.forward gives for the preprocessed image, in double. */
    private static double[] expectedProbabilities(TrainedModel trained, Image image) {
        try (NDManager manager = NDManager.newBaseManager()) {
            SpinModel model = trained.newModel(manager);
            NDArray x = trained.input().toTensor(image, manager).expandDims(0); // (1, C, 28, 28)
            float[] logits = model.forward(x, false).toFloatArray();
            double max = Double.NEGATIVE_INFINITY;
            for (float l : logits) {
                max = Math.max(max, l);
            }
            double sum = 0;
            double[] p = new double[logits.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = Math.exp(logits[i] - max);
                sum += p[i];
            }
            for (int i = 0; i < p.length; i++) {
                p[i] /= sum;
            }
            return p;
        }
    }

    private static Classifications predict(TrainedModel trained, Image image) throws Exception {
        try (ZooModel<Image, Classifications> model = trained.criteria().loadModel();
             Predictor<Image, Classifications> predictor = model.newPredictor()) {
            return predictor.predict(image);
        }
    }

    private Image grayImage(String name, long seed) throws Exception {
        return ImageFactory.getInstance().fromFile(TestImages.gray(tmp.resolve(name), TestImages.randomGray(28, 28, seed)));
    }

    @ParameterizedTest(name = "{0} input channel(s)")
    @ValueSource(ints = {1, 3})
    void probabilitiesAreTheSoftmaxOfTheModelsLogitsForTheSameInput(int channels) throws Exception {
        TrainedModel trained = TrainedModel.read(TinyCheckpoints.write(tmp, "m", "fashion_mnist", channels));
        Image image = channels == 1 ? grayImage("g.png", 11)
                : ImageFactory.getInstance().fromFile(TestImages.rgb(tmp.resolve("c.png"), TestImages.randomRgb(40, 40, 12)));
        double[] want = expectedProbabilities(trained, image);
        Classifications got = predict(trained, image);
        assertThat(got.getClassNames()).isEqualTo(trained.classNames());
        for (int i = 0; i < want.length; i++) {
            assertThat(got.getProbabilities().get(i)).isCloseTo(want[i], within(1e-6));
        }
        // the head is scaled in the fixture, so this is not a uniform guess
        assertThat(got.best().getProbability()).isGreaterThan(0.3);
    }

    @Test
    void theTopFiveAreTheFiveMostProbableClassesInDecreasingOrder() throws Exception {
        TrainedModel trained = TrainedModel.read(TinyCheckpoints.write(tmp, "m", "fashion_mnist", 1));
        Image image = grayImage("g.png", 13);
        double[] want = expectedProbabilities(trained, image);
        List<String> wantTop = IntStream.range(0, want.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> want[i]).reversed()).limit(5)
                .map(i -> FashionMnist.CLASS_NAMES.get(i)).toList();
        List<Classifications.Classification> top = predict(trained, image).topK(5);
        assertThat(top).extracting(Classifications.Classification::getClassName).isEqualTo(wantTop);
        for (int i = 1; i < top.size(); i++) {
            assertThat(top.get(i).getProbability()).isLessThan(top.get(i - 1).getProbability());
        }
    }

    @Test
    void classNamesComeFromTheCheckpoint() {
        TrainedModel trained = TrainedModel.read(TinyCheckpoints.write(tmp, "m", "fashion_mnist", 1));
        assertThat(trained.classNames()).isEqualTo(FashionMnist.CLASS_NAMES);
    }

    @Test
    void aCheckpointWithoutClassNamesNumbersTheClasses() {
        TrainedModel trained = TrainedModel.read(TinyCheckpoints.write(tmp, "m", "synthetic", 1));
        assertThat(trained.classNames()).containsExactly("class 0", "class 1", "class 2", "class 3", "class 4",
                "class 5", "class 6", "class 7", "class 8", "class 9");
    }

    @Test
    void aBatchGivesWhatOneImageAtATimeGives() throws Exception {
        TrainedModel trained = TrainedModel.read(TinyCheckpoints.write(tmp, "m", "fashion_mnist", 1));
        List<Image> images = List.of(grayImage("a.png", 21), grayImage("b.png", 22));
        try (ZooModel<Image, Classifications> model = trained.criteria().loadModel();
             Predictor<Image, Classifications> predictor = model.newPredictor()) {
            List<Classifications> batch = predictor.batchPredict(images);
            for (int i = 0; i < images.size(); i++) {
                List<Double> one = predictor.predict(images.get(i)).getProbabilities();
                for (int k = 0; k < one.size(); k++) {
                    assertThat(batch.get(i).getProbabilities().get(k)).isCloseTo(one.get(k), within(1e-6));
                }
            }
            assertThat(batch.get(0).getProbabilities()).isNotEqualTo(batch.get(1).getProbabilities());
        }
    }
}
