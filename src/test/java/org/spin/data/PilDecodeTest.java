package org.spin.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Files read as torchvision's loader reads them, {@code Image.open(f).convert("RGB")} in Pillow 9.4
 * ({@code bench/pil_decode_fixture.py}): gray JPEG, RGBA and gray+alpha PNG (alpha dropped), palette
 * PNG, and a JPEG whose EXIF says to rotate it (neither rotates it).
 */
class PilDecodeTest {

    private static final Path DIR = Path.of("src/test/resources/fixtures/transforms");

    static List<JsonObject> cases() throws IOException {
        List<JsonObject> out = new ArrayList<>();
        JsonParser.parseString(Files.readString(DIR.resolve("decode.json"), StandardCharsets.UTF_8)).getAsJsonObject()
                .getAsJsonArray("cases").forEach(c -> out.add(c.getAsJsonObject()));
        assertThat(out).hasSize(5);
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void readsAsPillowsConvertRgb(JsonObject c) {
        Pixels got = ImageDecoder.read(DIR.resolve(c.get("file").getAsString()), 3);
        Pixels expected = ImageDecoder.read(DIR.resolve(c.get("expected").getAsString()), 3);
        assertThat(new int[] {got.height(), got.width()}).containsExactly(expected.height(), expected.width());
        // the JPEGs too: the JDK's decoder gives libjpeg-turbo's levels on these files
        assertThat(got.data()).as(c.get("file").getAsString()).isEqualTo(expected.data());
    }
}
