package org.spin.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.SpinException;
import org.spin.data.FashionMnist;
import org.spin.io.SafeTensors;
import org.spin.train.Checkpoints;

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
        assertThat(Checkpoints.classNames(meta, file)).isEqualTo(FashionMnist.CLASS_NAMES);
    }

    @Test
    void aSyntheticCheckpointCarriesNoClassNames() {
        Path file = TinyCheckpoints.write(tmp, "m", "synthetic", 1);
        Map<String, String> meta = SafeTensors.read(file).metadata();
        assertThat(meta).doesNotContainKey("classes");
        assertThat(Checkpoints.classNames(meta, file)).isEmpty();
    }

    @Test
    void classesThatAreNotAnArrayOfStringsAreAOneLineErrorNamingTheFile() {
        Path file = tmp.resolve("odd.safetensors");
        for (String bad : new String[] {"{\"0\": \"Shirt\"}", "[\"Shirt\", 3]", "[\"Shirt\"", "Shirt, Coat"}) {
            assertThatThrownBy(() -> Checkpoints.classNames(Map.of("classes", bad), file))
                    .isInstanceOf(SpinException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("expected a JSON array of strings")
                    .extracting(Throwable::getMessage).asString().doesNotContain("\n");
        }
    }
}
