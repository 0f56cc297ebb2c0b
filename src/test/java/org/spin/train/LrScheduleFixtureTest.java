package org.spin.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.spin.config.SpinConfig;

/**
 * Our schedules against the reference trainer's learning rates ({@code bench/lr_policy_fixture.py}
 * writes them from SlowFast's {@code lr_policy} rules): every policy, warm-up before and after the
 * cosine, and the shard scaling, at 2,185 fractional epochs, read from the same config keys.
 */
class LrScheduleFixtureTest {

    static List<JsonObject> cases() throws IOException {
        List<JsonObject> out = new ArrayList<>();
        JsonParser.parseString(Files.readString(Path.of("src/test/resources/fixtures/solver/lr_policy.json"),
                StandardCharsets.UTF_8)).getAsJsonObject().getAsJsonArray("cases").forEach(c -> out.add(c.getAsJsonObject()));
        assertThat(out).hasSize(7);
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void equalsTheReferenceLearningRateAtEveryPoint(JsonObject c) {
        SpinConfig cfg = SpinConfig.defaults();
        for (Map.Entry<String, JsonElement> e : c.getAsJsonObject("solver").entrySet()) {
            String key = e.getKey().equals("NUM_SHARDS") ? "NUM_SHARDS" : "SOLVER." + e.getKey();
            JsonElement v = e.getValue();
            Object value = v.isJsonArray() ? v.getAsJsonArray().asList().stream().map(JsonElement::getAsDouble).toList()
                    : v.getAsJsonPrimitive().isBoolean() ? v.getAsBoolean()
                    : v.getAsJsonPrimitive().isString() ? v.getAsString()
                    : key.equals("NUM_SHARDS") || key.equals("SOLVER.MAX_EPOCH") ? (Object) v.getAsInt() : v.getAsDouble();
            cfg = cfg.with(key, value);
        }
        LrSchedule schedule = LrSchedule.from(cfg);
        int n = 0;
        for (JsonElement p : c.getAsJsonArray("points")) {
            double t = p.getAsJsonArray().get(0).getAsDouble();
            double expected = p.getAsJsonArray().get(1).getAsDouble();
            assertThat(schedule.at(t)).as("%s at epoch %s", c.get("name").getAsString(), t)
                    .isCloseTo(expected, within(1e-12 + 1e-9 * Math.abs(expected)));
            n++;
        }
        assertThat(n).isGreaterThan(200);
    }
}
