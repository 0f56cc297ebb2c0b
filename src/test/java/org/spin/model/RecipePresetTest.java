package org.spin.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spin.config.SpinConfig;
import org.spin.train.LrSchedule;
import org.spin.train.Recipe;

/** The recipe presets: what each paper trained with, under the model preset, under the user's settings. */
class RecipePresetTest {

    /** Every value of the SPIN recipe is the reference config's, except the run script's global batch. */
    @Test
    void theSpinRecipeIsTheReferenceConfigsWithItsRunScriptsBatch() {
        SpinConfig reference = SpinConfig.defaults().withYaml(Path.of("configs/reference/ConvMixer.yaml"));
        int compared = 0;
        for (Map.Entry<String, Object> e : RecipePreset.SPIN_CONVMIXER.values().entrySet()) {
            String key = e.getKey();
            if (key.equals("TRAIN.BATCH_SIZE")) {
                assertThat(e.getValue()).as("run.sh: TRAIN.BATCH_SIZE 256 on NUM_GPUS 4").isEqualTo(256);
                continue;
            }
            if (key.startsWith("MODEL_EMA.") || key.equals("SOLVER.ZERO_WD_1D_PARAM") || key.equals("SOLVER.LR_REFERENCE_BATCH")) {
                continue; // ours, set to what the reference does: no average, only the BatchNorms undecayed, no scaling
            }
            assertThat(SpinConfig.defaults().with(key, e.getValue()).get(key)).as(key).isEqualTo(reference.get(key));
            compared++;
        }
        assertThat(compared).isGreaterThan(20);
        assertThat(RecipePreset.SPIN_CONVMIXER.values()).containsEntry("SOLVER.ZERO_WD_1D_PARAM", false)
                .containsEntry("MODEL_EMA.ENABLE", false);
    }

    @Test
    void aPresetTrainsWithItsPapersRecipeAndTheUsersSettingsWin() {
        SpinConfig deit = Presets.get("deit_small_patch16_224").applyTo(SpinConfig.defaults());
        assertThat(deit.getString("SOLVER.LR_POLICY")).isEqualTo("cosine");
        assertThat(deit.getDouble("VIT.DROP_PATH_RATE")).isEqualTo(0.1);
        assertThat(deit.getInt("VIT.EMBED_DIM")).as("the model's own values").isEqualTo(384);
        assertThat(deit.getString("TRAIN.DATASET")).isEqualTo("imagenet");
        // DeiT's 5e-4 per 512 images, at its batch of 1024 and at a user's 256
        LrSchedule s = LrSchedule.from(deit);
        assertThat(s.at(100)).isCloseTo(1e-5 + (1e-3 - 1e-5) * 0.5 * (1 + Math.cos(Math.PI * 100 / 300)), within(1e-12));
        SpinConfig small = deit.withOverrides(List.of("TRAIN.BATCH_SIZE", "256"));
        assertThat(LrSchedule.from(small).at(5)).isCloseTo(1e-5 + (2.5e-4 - 1e-5) * 0.5 * (1 + Math.cos(Math.PI * 5 / 300)),
                within(1e-12));

        SpinConfig convnext = Presets.get("convnext_iso_base").applyTo(SpinConfig.defaults());
        assertThat(convnext.getDouble("CONVNEXT.DROP_PATH_RATE")).isEqualTo(0.2);
        Recipe r = Recipe.from(convnext);
        assertThat(r.ema()).isEqualTo(new Recipe.Ema(0.9999, false, false));
        assertThat(r.zeroWd1d()).isTrue();
        assertThat(r.schedule().at(50)).as("the cosine starts at its peak after 50 warm-up epochs").isCloseTo(4e-3, within(1e-12));
        assertThat(r.schedule().at(25)).isCloseTo(2e-3, within(1e-12));

        assertThat(Presets.get("convmixer_64_8").recipe()).as("the small models keep our defaults").isNull();
        SpinConfig spin = Presets.get("convmixer_768_32").applyTo(SpinConfig.defaults());
        assertThat(LrSchedule.from(spin.withOverrides(List.of("TRAIN.BATCH_SIZE", "64"))).at(120))
                .as("the reference does not scale its rate with the batch").isCloseTo(0.01, within(1e-12));
    }
}
