package org.spin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.spin.model.Presets;

/** {@code spin models} and {@code --model PRESET} on the commands that build a model. */
class ModelsCliTest {

    @Test
    void modelsListsEveryPresetWithItsParameterCount() {
        CliTest.Outcome o = CliTest.run("models");
        assertThat(o.code()).isZero();
        Presets.all().forEach(p -> assertThat(o.out()).contains(p.name()));
        assertThat(o.out()).containsPattern("convmixer_768_32\\s+convmixer\\s+20,465,896");
    }

    @Test
    void statsOfAFullSizePresetSharedAtRateTwo() {
        CliTest.Outcome o = CliTest.run("stats", "--model", "convmixer_768_32", "--share-rate", "2");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("ConvMixer-768/32 P14 K3 RELU, 1000 classes")
                .contains("shared: pointwise")
                .contains("trainable parameters: 11,016,424 unique; 20,465,896 in the unshared model")
                .contains("per 224x224 image");
    }

    @Test
    void statsPrintsTheRecipeAndItsWeightDecayGroups() {
        CliTest.Outcome o = CliTest.run("stats", "--cfg", "configs/reference/ConvMixer.yaml", "SOLVER.LR_POLICY", "cosine",
                "SOLVER.WARMUP_EPOCHS", "5", "SOLVER.WARMUP_START_LR", "1e-6", "TRAIN.ACCUM_STEPS", "4");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("training recipe:\n  AdamW, global batch 64 in 4 micro-batches of 16, 300 epochs,"
                        + " label smoothing 0.1, gradient norm clipped to 1.0\n")
                .contains("  learning rate: linear warm-up from 0.000001 over 5 epochs, then cosine from 0.01 at epoch 0"
                        + " to 0 at 300\n")
                // the reference's rule: only the BatchNorms go undecayed, so the convolutions' biases decay
                .contains("  weight decay 0.00002: 132 tensors, 20,366,056 parameters: patch_embed.conv.weight,"
                        + " patch_embed.conv.bias, blocks.*.dwise_blk.0.weight ×32")
                .contains("  no decay: norms, embeddings, tokens, scales: 130 tensors, 99,840 parameters:")
                .doesNotContain("ZERO_WD_1D_PARAM");
        CliTest.Outcome timm = CliTest.run("stats", "--model", "deit_tiny_patch16_224");
        assertThat(timm.out()).contains("  no decay: biases and 1-D tensors (ZERO_WD_1D_PARAM): 50 tensors")
                .contains("head.bias\n");
    }

    @Test
    void aKeyValueOverrideWinsOverThePreset() {
        CliTest.Outcome o = CliTest.run("stats", "--model", "convmixer_64_8", "CONVMIXER.DEPTH", "4",
                "CONVMIXER.WEIGHT_SHARE.ENABLE", "True", "CONVMIXER.WEIGHT_SHARE.SHARE_RATE", "2",
                "CONVMIXER.WEIGHT_SHARE.SCOPE", "both");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("ConvMixer-64/4").contains("plan 0,0,1,1 (2 slots), shared: depthwise, pointwise");
    }

    @Test
    void anUnknownPresetOrScopeIsAOneLineError() {
        CliTest.Outcome o = CliTest.run("stats", "--model", "convmixer_64_9");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err().strip()).doesNotContain("\n").contains("--model convmixer_64_9 is not a preset")
                .contains("did you mean convmixer_64_8");
        CliTest.Outcome s = CliTest.run("stats", "--model", "convmixer_64_8", "--share-rate", "2",
                "CONVMIXER.WEIGHT_SHARE.SCOPE", "attention");
        assertThat(s.code()).isEqualTo(2);
        assertThat(s.err().strip()).isEqualTo("spin: CONVMIXER.WEIGHT_SHARE.SCOPE 'attention': attention is not a"
                + " scope of convmixer; valid: pointwise, depthwise, norm, or both");
    }

    @Test
    void sharingNormLayersWarns() {
        CliTest.Outcome o = CliTest.run("stats", "--model", "convmixer_64_8", "--share-rate", "2",
                "CONVMIXER.WEIGHT_SHARE.SCOPE", "norm");
        assertThat(o.code()).isZero();
        assertThat(o.err()).contains("warning: CONVMIXER.WEIGHT_SHARE.SCOPE shares norm layers");
    }
}
