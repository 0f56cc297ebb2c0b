package org.spin.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our crops and resampling against torchvision 0.14 and Pillow 9.4 on real photographs
 * ({@code bench/torchvision_transforms_fixture.py} made the fixtures): {@code resized_crop} for
 * fixed boxes, and the evaluation transform, bicubic and bilinear, up and down.
 */
class TorchvisionTransformsTest {


    static List<JsonObject> cases() throws IOException {
        return TransformFixtures.cases("cases.json", 72);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void equalsTorchvisionToTheLevel(JsonObject c) throws IOException {
        Pixels source = TransformFixtures.read(c.get("source").getAsString());
        Pixels expected = TransformFixtures.read(c.get("expected").getAsString());
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

}
