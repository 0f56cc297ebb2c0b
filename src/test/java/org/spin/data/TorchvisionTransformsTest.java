package org.spin.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our crops and resampling against torchvision 0.14 and Pillow 9.4 on real photographs
 * ({@code bench/torchvision_transforms_fixture.py} made the fixtures): {@code resized_crop} for
 * fixed boxes, and the evaluation transform, bicubic and bilinear, up and down.
 */
class TorchvisionTransformsTest {

    private static final Path DIR = Path.of("src/test/resources/fixtures/transforms");

    static List<JsonObject> cases() throws IOException {
        JsonObject root = JsonParser.parseString(Files.readString(DIR.resolve("cases.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
        List<JsonObject> out = new ArrayList<>();
        root.getAsJsonArray("cases").forEach(c -> out.add(c.getAsJsonObject()));
        assertThat(out).hasSize(72);
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void equalsTorchvisionToTheLevel(JsonObject c) throws IOException {
        Pixels source = read(c.get("source").getAsString());
        Pixels expected = read(c.get("expected").getAsString());
        Resample.Filter filter = Resample.Filter.parse(c.get("interpolation").getAsString());
        Pixels got;
        if (c.get("op").getAsString().equals("resized_crop")) {
            var box = c.getAsJsonArray("box");
            int size = c.get("size").getAsInt();
            got = source.crop(box.get(0).getAsInt(), box.get(1).getAsInt(), box.get(2).getAsInt(), box.get(3).getAsInt())
                    .resize(size, size, filter);
        } else {
            int crop = c.get("crop").getAsInt();
            int[] hw = Crops.shorterSideTo(source.height(), source.width(), Crops.evalResize(crop));
            Pixels resized = source.resize(hw[0], hw[1], filter);
            Crops.Box b = Crops.centre(hw[0], hw[1], crop);
            got = resized.crop(b.top(), b.left(), b.height(), b.width());
        }
        assertThat(new int[] {got.channels(), got.height(), got.width()})
                .containsExactly(expected.channels(), expected.height(), expected.width());
        assertThat(maxDifference(got.data(), expected.data())).as(c.get("expected").getAsString()).isZero();
    }

    private static int maxDifference(byte[] a, byte[] b) {
        int max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((a[i] & 0xff) - (b[i] & 0xff)));
        }
        return max;
    }

    private static Pixels read(String name) throws IOException {
        BufferedImage image = ImageIO.read(DIR.resolve(name).toFile());
        boolean gray = image.getColorModel().getNumComponents() == 1;
        int channels = gray ? 1 : 3;
        return new Pixels(ImageDecoder.channels(image, channels), channels, image.getHeight(), image.getWidth());
    }
}
