package org.spin.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spin.SpinException;
import org.spin.config.ConfigKey;
import org.spin.config.ConfigType;
import org.spin.config.SpinConfig;
import org.spin.config.SpinSchema;
import org.spin.model.convmixer.ConvMixerConfig;
import org.spin.train.InitialWeights;

/** How the {@code WEIGHT_SHARE} keys of a model section become a plan, and which key wins. */
class PlanConfigTest {

    private static final String WS = "CONVMIXER.WEIGHT_SHARE.";

    private static SpinConfig shared(int rate) {
        return SpinConfig.defaults().with(WS + "ENABLE", true).with(WS + "SHARE_RATE", rate);
    }

    private static String plan(SpinConfig cfg, int depth) {
        return PlanConfig.from(cfg, "CONVMIXER", depth).toString();
    }

    @Test
    void anExplicitPlanWinsOverEveryOtherKey() {
        SpinConfig cfg = SpinConfig.defaults().with(WS + "ENABLE", false).with(WS + "GROUP_SIZES", List.of(3, 1))
                .with(WS + "SHARING_DISTRIBUTION", "front").with(WS + "SHARING_MAPPING", "strided")
                .with(WS + "PLAN", List.of(0, 1, 1, 0));
        assertThat(plan(cfg, 4)).isEqualTo("0,1,1,0");
    }

    @Test
    void sharingDisabledIsTheUnsharedModelWhateverTheRate() {
        assertThat(plan(shared(2).with(WS + "ENABLE", false), 4)).isEqualTo("0,1,2,3");
    }

    @Test
    void distributionAndMappingComeFromTheirKeys() {
        SpinConfig cfg = shared(2).with(WS + "SHARING_DISTRIBUTION", "middle");
        assertThat(plan(cfg, 8)).isEqualTo("0,1,1,1,2,2,2,3");
        assertThat(plan(shared(2).with(WS + "SHARING_MAPPING", "cycle_rev"), 8)).isEqualTo("0,1,2,3,3,2,1,0");
    }

    @Test
    void theSeedKeyDrivesTheRandomMapping() {
        SpinConfig cfg = shared(2).with(WS + "SHARING_MAPPING", "random").with(WS + "SEED", 7);
        assertThat(plan(cfg, 8)).isEqualTo(SharingPlan.create(8, 2, SharingDistribution.UNIFORM,
                SharingMapping.RANDOM, 7).toString());
    }

    @Test
    void groupSizesReplaceTheDistributionAndRate() {
        SpinConfig cfg = shared(4).with(WS + "SHARING_DISTRIBUTION", "front").with(WS + "GROUP_SIZES", List.of(3, 1, 1, 3));
        assertThat(plan(cfg, 8)).isEqualTo("0,0,0,1,2,3,3,3");
    }

    @Test
    void groupSizesWithSharingDisabledIsAnError() {
        SpinConfig cfg = SpinConfig.defaults().with(WS + "GROUP_SIZES", List.of(3, 1, 1, 3));
        assertThatThrownBy(() -> plan(cfg, 8)).isInstanceOf(SpinException.class)
                .hasMessage("CONVMIXER.WEIGHT_SHARE.GROUP_SIZES [3,1,1,3] is set but CONVMIXER.WEIGHT_SHARE.ENABLE is"
                        + " false; set ENABLE true to share by these sizes, or unset GROUP_SIZES");
    }

    @Test
    void groupSizesThatDoNotSumToTheDepthNameTheDepth() {
        SpinConfig cfg = shared(1).with(WS + "GROUP_SIZES", List.of(3, 1, 1, 3));
        assertThatThrownBy(() -> plan(cfg, 10)).isInstanceOf(SpinException.class)
                .hasMessageStartingWith("group sizes 3,1,1,3 sum to 8 but depth is 10");
    }

    @Test
    void convMixerConfigReadsItsPlanThroughPlanConfig() {
        SpinConfig cfg = shared(1).with("CONVMIXER.DEPTH", 8).with(WS + "GROUP_SIZES", List.of(3, 1, 1, 3));
        assertThat(ConvMixerConfig.from(cfg).plan().toString()).isEqualTo("0,0,0,1,2,3,3,3");
    }

    @Test
    void theUnsharedTwinOfAGroupSizesConfigIsUnshared() {
        // the teacher of fine-tuning and distillation: ENABLE false must not trip over GROUP_SIZES
        SpinConfig cfg = shared(1).with(WS + "GROUP_SIZES", List.of(3, 1, 1, 3));
        assertThat(plan(InitialWeights.unshared(cfg), 8)).isEqualTo("0,1,2,3,4,5,6,7");
    }

    @Test
    void theSchemaListsExactlyTheDistributionsAndMappingsTheCodeKnows() {
        assertThat(SpinSchema.get().key(WS + "SHARING_DISTRIBUTION").choices()).containsExactlyElementsOf(
                Arrays.stream(SharingDistribution.values()).map(SharingDistribution::configName).toList());
        assertThat(SpinSchema.get().key(WS + "SHARING_MAPPING").choices()).containsExactlyElementsOf(
                Arrays.stream(SharingMapping.values()).map(SharingMapping::configName).toList());
    }

    @Test
    void groupSizesIsAnUnsetListOfIntegersByDefault() {
        ConfigKey key = SpinSchema.get().key(WS + "GROUP_SIZES");
        assertThat(key.type()).isEqualTo(ConfigType.INT_LIST);
        assertThat(key.nullable()).isTrue();
        assertThat(key.actedOn()).isTrue();
    }
}
