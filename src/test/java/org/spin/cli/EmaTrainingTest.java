package org.spin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run with {@code MODEL_EMA}: both top-1s in every evaluated row, the average saved as weights
 * that {@code eval} reads like any checkpoint and scores as the run did.
 */
class EmaTrainingTest {

    @TempDir
    Path tmp;

    @Test
    void theAverageIsEvaluatedBesideTheWeightsAndSavedAsWeightsOfItsOwn() throws Exception {
        Path run = tmp.resolve("run");
        CliTest.Outcome o = CliTest.run("train", "--model", "vit_64_6_patch4_28", "--epochs", "2", "--output", run.toString(),
                "TRAIN.DATASET", "synthetic", "VIT.DEPTH", "2", "VIT.DROP_PATH_RATE", "0.1", "MODEL_EMA.ENABLE", "True",
                "MODEL_EMA.DECAY", "0.9", "SOLVER.LR_POLICY", "cosine", "SOLVER.WARMUP_EPOCHS", "0.5");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.err()).contains("| EMA top-1 ");
        List<String> rows = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertThat(rows).hasSize(2);
        JsonObject last = JsonParser.parseString(rows.get(1)).getAsJsonObject();
        double emaTop1 = last.get("test_top1_ema").getAsDouble();
        assertThat(last.has("test_top1")).isTrue();
        assertThat(run.resolve("best_ema.safetensors")).exists();
        CliTest.Outcome e = CliTest.run("eval", "--weights", run.resolve("last_ema.safetensors").toString());
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(e.out()).contains(String.format("top-1 %.2f%%", 100 * emaTop1));
    }
}
