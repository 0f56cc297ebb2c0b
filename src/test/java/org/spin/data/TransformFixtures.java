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

/** The torchvision and Pillow fixtures of {@code src/test/resources/fixtures/transforms} (made by {@code bench/*_fixture.py}). */
final class TransformFixtures {

    static final Path DIR = Path.of("src/test/resources/fixtures/transforms");

    private TransformFixtures() {}

    /** The cases listed in {@code index}, which must number {@code count} (a lost case is a failure, not a pass). */
    static List<JsonObject> cases(String index, int count) throws IOException {
        List<JsonObject> out = new ArrayList<>();
        JsonParser.parseString(Files.readString(DIR.resolve(index), StandardCharsets.UTF_8)).getAsJsonObject()
                .getAsJsonArray("cases").forEach(c -> out.add(c.getAsJsonObject()));
        assertThat(out).hasSize(count);
        return out;
    }

    /** A fixture PNG as the C×H×W levels Pillow wrote: gray or RGB. */
    static Pixels read(String name) throws IOException {
        BufferedImage image = ImageIO.read(DIR.resolve(name).toFile());
        int channels = image.getColorModel().getNumComponents() == 1 ? 1 : 3;
        return new Pixels(ImageDecoder.channels(image, channels), channels, image.getHeight(), image.getWidth());
    }
}
