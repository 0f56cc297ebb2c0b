package org.spin.model.convmixer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spin.config.SpinConfig;
import org.spin.model.Models;
import org.spin.model.shared.Pass;
import org.spin.model.shared.Weight;
import org.spin.runtime.EngineRandom;
import org.spin.sharing.SharingPlan;

/** ConvMixer's blocks are ordinary DJL blocks, and layers of one slot read the same weight instance. */
class ConvMixerBlocksTest {

    private static final int SIZE = 8;

    /** ConvMixer-8/6, rate 2, sharing the pointwise weights by default. */
    private static SpinConfig config(String mapping) {
        return SpinConfig.defaults().with("CONVMIXER.CHANNEL", 8).with("CONVMIXER.DEPTH", 6)
                .with("CONVMIXER.PATCH_KERNEL", 2).with("CONVMIXER.PATCH_STRIDE", 2).with("CONVMIXER.KERNEL", 3)
                .with("CONVMIXER.ACT_FUNC", "GELU").with("DATA.INPUT_CHANNEL_NUM", List.of(3))
                .with("MODEL.NUM_CLASSES", 5).with("CONVMIXER.WEIGHT_SHARE.ENABLE", true)
                .with("CONVMIXER.WEIGHT_SHARE.SHARE_RATE", 2).with("CONVMIXER.WEIGHT_SHARE.SHARING_MAPPING", mapping)
                .with("CONVMIXER.WEIGHT_SHARE.RELAX_GROUP", 4).with("CONVMIXER.WEIGHT_SHARE.LORA_RANK", 2);
    }

    private static ConvMixer model(SpinConfig cfg) {
        return (ConvMixer) Models.architecture(cfg).create(cfg, SIZE);
    }

    @Test
    void layerFiveOfARate2ConvMixerReadsSlotTwosPointwiseWeight() {
        ConvMixer model = model(config("sequential"));
        assertThat(model.plan().slotOf(5)).isEqualTo(2);
        assertThat(model.block(5).pwiseWeight).isEqualTo(new Weight.Plain(model.stateDict().get("pwise_w.2")))
                .isSameAs(model.block(4).pwiseWeight);
    }

    @Test
    void layersOfOneSlotHoldTheSameWeightInstanceAndOtherLayersTheirOwn() {
        for (String mapping : List.of("sequential", "strided", "random")) {
            ConvMixer model = model(config(mapping).with("CONVMIXER.WEIGHT_SHARE.SEED", 3));
            SharingPlan plan = model.plan();
            for (int l = 0; l < plan.depth(); l++) {
                for (int m = 0; m < plan.depth(); m++) {
                    boolean sameSlot = plan.slotOf(l) == plan.slotOf(m);
                    assertThat(model.block(l).pwiseWeight == model.block(m).pwiseWeight).as("%s %d %d", mapping, l, m)
                            .isEqualTo(sameSlot);
                    assertThat(model.block(l).pwiseBias == model.block(m).pwiseBias).isEqualTo(sameSlot);
                    assertThat(model.block(l).dwiseWeight == model.block(m).dwiseWeight).as("depthwise: not in scope")
                            .isEqualTo(l == m);
                }
            }
        }
    }

    @Test
    void aPlainSharedWeightIsTheParameterItselfWithNoCopy() {
        try (NDManager m = NDManager.newBaseManager()) {
            SpinConfig cfg = config("sequential");
            ConvMixer model = (ConvMixer) Models.build(cfg, m, SIZE);
            assertThat(model.block(5).pwiseWeight.in(new Pass(m))).isSameAs(model.stateDict().get("pwise_w.2").getArray());
        }
    }

    @Test
    void aFusedSlotIsReducedOncePerPassAndSharedByItsLayers() {
        try (NDManager m = NDManager.newBaseManager()) {
            ConvMixer model = (ConvMixer) Models.build(config("strided").with("CONVMIXER.WEIGHT_SHARE.REDUCTION_FN", "mean"),
                    m, SIZE);
            int[] group = model.plan().layersOf(0);
            Weight w = model.block(group[0]).pwiseWeight;
            assertThat(w).isInstanceOf(Weight.Fused.class).isSameAs(model.block(group[1]).pwiseWeight);
            Pass pass = new Pass(m);
            NDArray first = w.in(pass);
            assertThat(w.in(pass)).isSameAs(first);
            assertThat(w.in(new Pass(m))).isNotSameAs(first);
        }
    }

    @Test
    void aRelaxedLayerWrapsTheWeightItsSlotShares() {
        ConvMixer model = model(config("strided").with("CONVMIXER.WEIGHT_SHARE.RELAXATION", "dynamic"));
        int[] group = model.plan().layersOf(1);
        Weight.Relaxed a = (Weight.Relaxed) model.block(group[0]).pwiseWeight;
        Weight.Relaxed b = (Weight.Relaxed) model.block(group[1]).pwiseWeight;
        assertThat(a).isNotSameAs(b);
        assertThat(a.shared()).isSameAs(b.shared()).isInstanceOf(Weight.Plain.class);
        assertThat(a.terms()).doesNotContainAnyElementsOf(b.terms());
    }

    @Test
    void aMixerBlockRunsThroughDjlsForwardAsInsideTheModel() {
        for (String fusion : List.of("None", "channel_weighted_mean")) {
            try (NDManager m = NDManager.newBaseManager()) {
                SpinConfig cfg = config("strided").with("CONVMIXER.WEIGHT_SHARE.REDUCTION_FN", fusion)
                        .with("CONVMIXER.WEIGHT_SHARE.RELAXATION", "lora");
                ConvMixer model = (ConvMixer) Models.build(cfg, m, SIZE);
                NDArray x = EngineRandom.seeded(0, () -> m.randomNormal(new Shape(2, 3, SIZE, SIZE)));
                List<NDArray> outputs = model.blockOutputs(x);
                for (int l = 1; l < outputs.size(); l++) {
                    NDArray y = model.block(l).forward(new ParameterStore(m, false), new NDList(outputs.get(l - 1)), false)
                            .singletonOrThrow();
                    float[] got = y.toFloatArray();
                    float[] want = outputs.get(l).toFloatArray();
                    for (int i = 0; i < want.length; i++) {
                        assertThat(got[i]).as("%s layer %d output %d", fusion, l, i).isCloseTo(want[i], within(1e-6f));
                    }
                }
            }
        }
    }
}
