package org.spin.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.SpinException;
import org.spin.data.FashionMnist;
import org.spin.io.CheckpointFormat;
import org.spin.io.SafeTensors;

/** The checkpoint metadata "classes": written from the training data set, read back for predictions. */
class ClassNamesMetadataTest {

    @TempDir
    Path tmp;

    @Test
    void aFashionMnistCheckpointCarriesTheTenClassNamesInLabelOrder() {
        Path file = TinyCheckpoints.write(tmp, "m", "fashion_mnist", 1);
        Map<String, String> meta = SafeTensors.read(file).metadata();
        assertThat(meta.get("classes")).isEqualTo("[\"T-shirt/top\",\"Trouser\",\"Pullover\",\"Dress\",\"Coat\","
                + "\"Sandal\",\"Shirt\",\"Sneaker\",\"Bag\",\"Ankle boot\"]");
        assertThat(CheckpointFormat.classNames(meta, file)).isEqualTo(FashionMnist.CLASS_NAMES);
    }

    @Test
    void aSyntheticCheckpointCarriesNoClassNames() {
        Path file = TinyCheckpoints.write(tmp, "m", "synthetic", 1);
        Map<String, String> meta = SafeTensors.read(file).metadata();
        assertThat(meta).doesNotContainKey("classes");
        assertThat(CheckpointFormat.classNames(meta, file)).isEmpty();
    }

    @Test
    void classesThatAreNotAnArrayOfStringsAreAOneLineErrorNamingTheFile() {
        Path file = tmp.resolve("odd.safetensors");
        for (String bad : new String[] {"{\"0\": \"Shirt\"}", "[\"Shirt\", 3]", "[\"Shirt\"", "Shirt, Coat"}) {
            assertThatThrownBy(() -> CheckpointFormat.classNames(Map.of("classes", bad), file))
                    .isInstanceOf(SpinException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("expected a JSON array of strings")
                    .extracting(Throwable::getMessage).asString().doesNotContain("\n");
        }
    }

    @Test
    void moreNamesThanTheModelHasOutputsIsAnError() {
        Path file = TinyCheckpoints.write(tmp, "m", "fashion_mnist", 1, "MODEL.NUM_CLASSES", "5");
        assertThatThrownBy(() -> TrainedModel.read(file).classNames())
                .isInstanceOf(SpinException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("names 10 classes but the model has 5 outputs");
    }

    @Test
    void outputsBeyondTheNamedClassesAreNumbered() {
        Path file = TinyCheckpoints.write(tmp, "m", "fashion_mnist", 1, "MODEL.NUM_CLASSES", "12");
        assertThat(TrainedModel.read(file).classNames()).hasSize(12).startsWith("T-shirt/top")
                .endsWith("Ankle boot", "class 10", "class 11");
    }

    @Test
    void weightsWithoutAConfigRunUnderTheConfigGivenToThem() {
        TrainedModel ours = TrainedModel.read(TinyCheckpoints.write(tmp, "m", "fashion_mnist", 1));
        // the same tensors with no metadata, as a plain safetensors (or the reference's .pth) holds them
        Path bare = tmp.resolve("bare.safetensors");
        SafeTensors.write(bare, ours.weights().tensors(), Map.of());
        TrainedModel plain = TrainedModel.read(bare);
        assertThat(plain.classNames()).startsWith("class 0");
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> plain.newModel(manager)) // the defaults are ConvMixer-768/32
                    .isInstanceOf(SpinException.class).hasMessageContaining(bare.toString());
            assertThat(plain.withConfig(ours.cfg()).newModel(manager).plan().toString()).isEqualTo("0,0,1,1");
        }
    }
}
