package org.spin.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Files read as torchvision's loader reads them, {@code Image.open(f).convert("RGB")} in Pillow 9.4
 * ({@code bench/pil_decode_fixture.py}): gray JPEG, RGBA and gray+alpha PNG (alpha dropped), palette
 * PNG, CMYK JPEG (Adobe's inverted inks, black varying), YCCK JPEG (Adobe transform 2), and a JPEG
 * whose EXIF says to rotate it (neither rotates it).
 */
class PilDecodeTest {

    static List<JsonObject> cases() throws IOException {
        return TransformFixtures.cases("decode.json", 7);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void readsAsPillowsConvertRgb(JsonObject c) {
        Pixels got = ImageDecoder.read(TransformFixtures.DIR.resolve(c.get("file").getAsString()), 3);
        Pixels expected = ImageDecoder.read(TransformFixtures.DIR.resolve(c.get("expected").getAsString()), 3);
        assertThat(new int[] {got.height(), got.width()}).containsExactly(expected.height(), expected.width());
        // the JPEGs too: the JDK's decoder gives libjpeg-turbo's levels on these files
        assertThat(got.data()).as(c.get("file").getAsString()).isEqualTo(expected.data());
    }
}
