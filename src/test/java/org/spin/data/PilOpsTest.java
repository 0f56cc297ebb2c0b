package org.spin.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each RandAugment op against Pillow 9.4 on real photographs, as timm calls it, at fixed
 * arguments ({@code bench/pil_randaugment_fixture.py} made the fixtures): equal to the level.
 */
class PilOpsTest {


    static List<JsonObject> cases() throws IOException {
        return TransformFixtures.cases("randaugment.json", 96);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void equalsPillow(JsonObject c) throws IOException {
        Pixels x = TransformFixtures.read(c.get("source").getAsString());
        Pixels expected = TransformFixtures.read(c.get("expected").getAsString());
        JsonArray a = c.getAsJsonArray("args");
        int[] fill = x.channels() == 3 ? new int[] {124, 116, 104} : new int[] {124};
        Pixels got = switch (c.get("op").getAsString()) {
            case "autocontrast" -> PilOps.autocontrast(x);
            case "equalize" -> PilOps.equalize(x);
            case "invert" -> PilOps.invert(x);
            case "posterize" -> PilOps.posterize(x, a.get(0).getAsInt());
            case "solarize" -> PilOps.solarize(x, a.get(0).getAsInt());
            case "solarize_add" -> PilOps.solarizeAdd(x, a.get(0).getAsInt(), 128);
            case "color" -> PilOps.color(x, a.get(0).getAsDouble());
            case "contrast" -> PilOps.contrast(x, a.get(0).getAsDouble());
            case "brightness" -> PilOps.brightness(x, a.get(0).getAsDouble());
            case "sharpness" -> PilOps.sharpness(x, a.get(0).getAsDouble());
            case "rotate" -> PilOps.rotate(x, a.get(0).getAsDouble(), fill, Resample.Filter.parse(a.get(1).getAsString()));
            case "affine" -> {
                double[] m = new double[6];
                for (int i = 0; i < 6; i++) {
                    m[i] = a.get(i).getAsDouble();
                }
                yield PilOps.affine(x, m, fill, Resample.Filter.parse(a.get(6).getAsString()));
            }
            default -> throw new IllegalArgumentException(c.toString());
        };
        assertThat(new int[] {got.channels(), got.height(), got.width()})
                .containsExactly(expected.channels(), expected.height(), expected.width());
        int differ = 0;
        for (int i = 0; i < got.data().length; i++) {
            differ += got.data()[i] == expected.data()[i] ? 0 : 1;
        }
        assertThat(differ).as("%s: values that differ from Pillow's", c.get("expected").getAsString()).isZero();
    }

}
