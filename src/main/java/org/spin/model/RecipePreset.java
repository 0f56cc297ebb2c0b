package org.spin.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A named training recipe: the solver, batch, augmentation, mixing, regularisation and averaging
 * values a paper trained a family with, applied under a model preset's own values (the user's
 * settings win over both). DeiT's and ConvNeXt's learning rates are given at their paper's global
 * batch ({@code SOLVER.LR_REFERENCE_BATCH}) and scale linearly with {@code TRAIN.BATCH_SIZE}.
 */
public record RecipePreset(String name, String description, Map<String, Object> values) {

    /** ImageNet training as timm's pipeline does it, shared by the three recipes. */
    private static Map<String, Object> timmPipeline(double mixupAlpha, double cutmixAlpha) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("TRAIN.DATASET", "imagenet");
        m.put("DATA.TRAIN_JITTER_SCALES_RELATIVE", List.of(0.08, 1.0));
        m.put("DATA.TRAIN_JITTER_ASPECT_RELATIVE", List.of(0.75, 4.0 / 3));
        m.put("AUG.ENABLE", true);
        m.put("AUG.AA_TYPE", "rand-m9-mstd0.5-inc1");
        m.put("AUG.COLOR_JITTER", 0.4);
        m.put("AUG.INTERPOLATION", "bicubic");
        m.put("AUG.RE_PROB", 0.25);
        m.put("AUG.RE_MODE", "pixel");
        m.put("AUG.RE_COUNT", 1);
        m.put("MIXUP.ENABLE", true);
        m.put("MIXUP.ALPHA", mixupAlpha);
        m.put("MIXUP.CUTMIX_ALPHA", cutmixAlpha);
        m.put("MIXUP.PROB", 1.0);
        m.put("MIXUP.SWITCH_PROB", 0.5);
        m.put("MIXUP.LABEL_SMOOTH_VALUE", 0.1);
        m.put("MODEL.LOSS_FUNC", "soft_cross_entropy");
        m.put("SOLVER.OPTIMIZING_METHOD", "adamw");
        m.put("SOLVER.MAX_EPOCH", 300);
        return m;
    }

    /**
     * The SPIN reference's ({@code configs/reference/ConvMixer.yaml}, with its run script's global
     * batch of 256 on 4 GPUs): one-cycle to 0.01, weight decay 2e-5 on all but the BatchNorms,
     * clipping at norm 1, head dropout 0.5. Its rate is not scaled with the batch (the reference
     * trained batches of 64 and 256 at 0.01).
     */
    public static final RecipePreset SPIN_CONVMIXER = new RecipePreset("spin_convmixer",
            "the SPIN reference's: AdamW, one-cycle to 0.01, wd 2e-5, clip 1.0, batch 256, 300 epochs, Mixup/CutMix 0.5",
            with(timmPipeline(0.5, 0.5), "TRAIN.BATCH_SIZE", 256, "SOLVER.BASE_LR", 0.01,
                    "SOLVER.LR_REFERENCE_BATCH", null, "SOLVER.LR_POLICY", "onecycle", "SOLVER.WEIGHT_DECAY", 2e-5,
                    "SOLVER.WARMUP_EPOCHS", 0.0, "SOLVER.CLIP_GRAD_L2NORM", 1.0, "SOLVER.ZERO_WD_1D_PARAM", false,
                    "MODEL.DROPOUT_RATE", 0.5, "MODEL_EMA.ENABLE", false, "TRAIN.REPEATED_AUG", 1));

    /**
     * The DeiT paper's (Touvron et al. 2021, its Table 9 and repository's defaults): AdamW at 5e-4
     * per 512 images, cosine to 1e-5 after 5 warm-up epochs from 1e-6, wd 0.05 on matrices only,
     * drop path 0.1, Mixup 0.8 / CutMix 1.0, repeated augmentation (3 copies), global batch 1024.
     */
    public static final RecipePreset DEIT = new RecipePreset("deit",
            "DeiT's: AdamW 5e-4 x batch/512, cosine, 5 warm-up epochs, wd 0.05, drop path 0.1, batch 1024, 300 epochs,"
                    + " Mixup 0.8 / CutMix 1.0, repeated augmentation 3",
            with(timmPipeline(0.8, 1.0), "TRAIN.BATCH_SIZE", 1024, "SOLVER.BASE_LR", 5e-4,
                    "SOLVER.LR_REFERENCE_BATCH", 512, "SOLVER.LR_POLICY", "cosine", "SOLVER.COSINE_END_LR", 1e-5,
                    "SOLVER.COSINE_AFTER_WARMUP", false, "SOLVER.WARMUP_EPOCHS", 5.0, "SOLVER.WARMUP_START_LR", 1e-6,
                    "SOLVER.WEIGHT_DECAY", 0.05, "SOLVER.CLIP_GRAD_L2NORM", null, "SOLVER.ZERO_WD_1D_PARAM", true,
                    "MODEL.DROPOUT_RATE", 0.0, "VIT.DROP_PATH_RATE", 0.1, "MODEL_EMA.ENABLE", false,
                    "TRAIN.REPEATED_AUG", 3));

    /**
     * facebookresearch/ConvNeXt's isotropic recipe: AdamW 4e-3 at a global batch of 4096, 50
     * warm-up epochs, then cosine to 1e-6, wd 0.05 on matrices only, weight average 0.9999 (its
     * published isotropic results are the averages), no layer scale; drop path is the model
     * preset's (S 0.1, B 0.2).
     */
    public static final RecipePreset CONVNEXT_ISO = new RecipePreset("convnext_iso",
            "ConvNeXt-iso's: AdamW 4e-3 at batch 4096, 50 warm-up epochs then cosine, wd 0.05, EMA 0.9999, 300 epochs,"
                    + " Mixup 0.8 / CutMix 1.0",
            with(timmPipeline(0.8, 1.0), "TRAIN.BATCH_SIZE", 4096, "SOLVER.BASE_LR", 4e-3,
                    "SOLVER.LR_REFERENCE_BATCH", 4096, "SOLVER.LR_POLICY", "cosine", "SOLVER.COSINE_END_LR", 1e-6,
                    "SOLVER.COSINE_AFTER_WARMUP", true, "SOLVER.WARMUP_EPOCHS", 50.0, "SOLVER.WARMUP_START_LR", 0.0,
                    "SOLVER.WEIGHT_DECAY", 0.05, "SOLVER.CLIP_GRAD_L2NORM", null, "SOLVER.ZERO_WD_1D_PARAM", true,
                    "MODEL.DROPOUT_RATE", 0.0, "CONVNEXT.LAYER_SCALE_INIT", 0.0, "MODEL_EMA.ENABLE", true,
                    "MODEL_EMA.DECAY", 0.9999, "MODEL_EMA.WARMUP", false, "TRAIN.REPEATED_AUG", 1));

    public static List<RecipePreset> all() {
        return List.of(SPIN_CONVMIXER, DEIT, CONVNEXT_ISO);
    }

    private static Map<String, Object> with(Map<String, Object> base, Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>(base);
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
