package org.spin.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spin.config.SpinConfig;
import org.spin.model.Models;
import org.spin.model.Presets;
import org.spin.model.SpinModel;
import org.spin.model.convmixer.ConvMixer;
import org.spin.model.convnext.ConvNeXt;
import org.spin.model.vit.ViT;

/** {@link SpinModel#blockOutputs}: one output per block, the last one what the features are made of. */
class AnalysisBlockOutputsTest {

    static final int SIZE = 16; // smaller than the presets' 28 to keep it fast; the block loop is the same

    @ParameterizedTest
    @ValueSource(strings = {"convmixer_64_8", "vit_64_6_patch4_28", "convnext_iso_64_8_patch2_28"})
    void givesOneOutputPerBlockAndTheLastIsWhatForwardFeaturesReturns(String preset) {
        SpinConfig cfg = Presets.get(preset).applyTo(SpinConfig.defaults());
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = Models.build(cfg, m, SIZE);
            try (NDManager scope = m.newSubManager()) {
                NDArray x = scope.randomNormal(new Shape(2, cfg.getIntList("DATA.INPUT_CHANNEL_NUM").get(0), SIZE, SIZE));
                List<NDArray> outs = model.blockOutputs(x);
                assertThat(outs).hasSize(model.plan().depth());
                assertThat(outs).allSatisfy(o -> {
                    assertThat(o.getManager()).isSameAs(scope);
                    assertThat(o.getShape().get(0)).isEqualTo(2);
                });
                NDArray features = model instanceof ConvMixer c ? c.forwardFeatures(x, false)
                        : model instanceof ConvNeXt c ? c.forwardFeatures(x, false)
                        : ((ViT) model).forwardFeatures(x, false);
                NDArray last = outs.get(outs.size() - 1);
                NDArray expected = model instanceof ViT v ? v.finalNorm(last) : last;
                assertThat(expected.getShape()).isEqualTo(features.getShape());
                assertThat(expected.allClose(features, 1e-5, 1e-6, false)).isTrue();
            }
        }
    }
}
