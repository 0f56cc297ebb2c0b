package org.spin.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spin.config.SpinConfig;
import org.spin.model.Models;
import org.spin.model.Presets;
import org.spin.model.SpinModel;
import org.spin.data.DataConfig;

/** The analysis runs on every architecture, and a shared model's sharing layers have weight cosine 1. */
class AnalysisArchitecturesTest {

    @ParameterizedTest
    @CsvSource({"vit_64_6_patch4_28, blocks.*.attn.qkv.weight", "convnext_iso_64_8_patch2_28, blocks.*.pwconv1.weight"})
    void analysesEveryBlockAndWeightFamily(String preset, String family) {
        SpinConfig cfg = Presets.get(preset).applyTo(SpinConfig.defaults()).with("TRAIN.DATASET", "synthetic")
                .with("MODEL.NUM_CLASSES", 10);
        String ws = Models.weightShare(cfg);
        cfg = cfg.with(ws + "ENABLE", true).with(ws + "SHARE_RATE", 2);
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = Models.build(cfg, m, DataConfig.from(cfg).imageSize());
            var images = DataConfig.from(cfg).load(false).first(8);
            LayerAnalysis a = Analysis.run(model, DataConfig.from(cfg.with("TEST.BATCH_SIZE", 5)).loader(images, false), m);
            int depth = model.plan().depth();
            assertThat(a.depth()).isEqualTo(depth);
            for (int i = 0; i < depth; i++) {
                assertThat(a.cka()[i][i]).isEqualTo(1.0);
            }
            WeightCosine w = a.weights().stream().filter(c -> c.family().equals(family)).findFirst().orElseThrow();
            // rate 2, sequential: layers 0 and 1 read the same slot
            assertThat(w.cosine()[0][1]).isCloseTo(1.0, within(1e-9));
        }
    }
}
