package org.spin.config;

import java.util.List;
import java.util.ServiceLoader;

/**
 * Every key SPIN knows: the ones the reference's three configs and run script use, so that they
 * load unchanged, plus our own additions. Each model family declares its own section (a
 * {@link ConfigSection} service), so this package names no architecture. Keys we parse but do not implement yet are marked
 * {@code N}; setting them warns rather than silently doing nothing. Defaults are ours (a small
 * Fashion-MNIST run on CPU), not the reference's ImageNet recipe, which lives in
 * {@code configs/reference/}.
 */
public final class SpinSchema {

    /** Acted on. */
    private static final boolean Y = true;
    /** Read, but not acted on yet. */
    private static final boolean N = false;

    private static final ConfigSchema SCHEMA = build();

    private SpinSchema() {}

    public static ConfigSchema get() {
        return SCHEMA;
    }

    private static ConfigSchema build() {
        ConfigSchema.Builder b = ConfigSchema.builder();
        train(b.section("TRAIN"));
        data(b.section("DATA"));
        int families = 0;
        for (ConfigSection family : ServiceLoader.load(ConfigSection.class, SpinSchema.class.getClassLoader())) {
            family.declare(b);
            families++;
        }
        if (families == 0) {
            throw new IllegalStateException("no model family declares a config section: META-INF/services/"
                    + ConfigSection.class.getName() + " is missing from the class path");
        }
        aug(b.section("AUG"));
        mixup(b.section("MIXUP"));
        solver(b.section("SOLVER"));
        model(b.section("MODEL"));
        test(b.section("TEST"));
        b.section("DISTILL")
                .string("TEACHER", "", Y, "checkpoint of a teacher to distil from; empty trains without (ours)")
                .number("ALPHA", 0.5, Y, "weight of the distillation term: (1-ALPHA)·CE + ALPHA·T²·KL (ours)")
                .number("TEMPERATURE", 1.0, Y, "softmax temperature T of teacher and student in the KL term (ours)");
        b.section("MODEL_EMA")
                .bool("ENABLE", false, Y, "keep an exponential moving average of the weights (timm's ModelEmaV2),"
                        + " evaluated beside them and saved as last_ema/best_ema.safetensors (ours)")
                .number("DECAY", 0.9999, Y, "the average's decay per optimizer update (ours)")
                .bool("WARMUP", false, Y, "ramp the decay up as timm's ModelEmaV3: 1 - (1 + n)^(-2/3), at most DECAY (ours)")
                .bool("FORCE_CPU", false, Y, "keep the average on the CPU, saving device memory (ours)");
        b.section("DATA_LOADER")
                .integer("NUM_WORKERS", 2, Y, "background threads preparing batches")
                .bool("PIN_MEMORY", true, N, "pin host memory for GPU copies");
        b.section("TENSORBOARD")
                .bool("ENABLE", false, N, "write TensorBoard event files");
        b.section("")
                .integer("NUM_GPUS", 0, Y, "GPUs to train on, one data-parallel replica each sharing TRAIN.BATCH_SIZE;"
                        + " 0 trains on the CPU, as in the reference")
                .integer("NUM_CPU_REPLICAS", 0, Y, "with NUM_GPUS 0, data-parallel replicas on the CPU: each takes a"
                        + " shard of the batch with its own BatchNorm statistics, as the reference's GPUs do; 0 or 1: none (ours)")
                .integer("NUM_SHARDS", 1, Y, "machines in a multi-node run; only 1 (one process); BASE_LR_SCALE_NUM_SHARDS"
                        + " scales by it")
                .integer("RNG_SEED", 0, Y, "seed for initialisation, data order and augmentation")
                .string("OUTPUT_DIR", "runs/default", Y, "run directory for checkpoints, logs and the config dump");
        return b.build();
    }

    /**
     * The weight-sharing keys of one isotropic model family. Every family declares the same
     * subsection so one sharing implementation reads them all.
     */
    public static void weightShare(ConfigSchema.Builder b, String modelSection) {
        b.section(modelSection + ".WEIGHT_SHARE")
                .bool("ENABLE", false, Y, "share the weights of the SCOPE (the family's default when empty) across layers")
                .choice("SHARING_DISTRIBUTION", "uniform", Y,
                        "how many layers each shared slot serves: r each, or 2r-1 for half the slots and 1 for the"
                                + " rest, heavy at the front, back or middle (front, back, middle ours)",
                        "uniform", "front", "back", "middle")
                .choice("SHARING_MAPPING", "sequential", Y,
                        "which layers share a slot: neighbours, every S-th, a seeded shuffle, or cycle with the"
                                + " last S layers reversed (cycle_rev ours, after Takase & Kiyono 2021)",
                        "sequential", "strided", "random", "cycle_rev")
                .integer("SHARE_RATE", 1, Y, "layers per shared slot; slots = DEPTH / SHARE_RATE")
                .integers("GROUP_SIZES", null, Y,
                        "layers each slot serves, e.g. [3,1,1,3], summing to DEPTH; overrides SHARING_DISTRIBUTION"
                                + " and SHARE_RATE, needs ENABLE (ours)")
                .choice("REDUCTION_FN", null, Y,
                        "fuse the DEPTH source weights into each slot on every forward (weight fusion)",
                        "mean", "choose_first", "scalar_weighted_mean", "channel_weighted_mean")
                .integers("PLAN", null, Y, "explicit layer-to-slot table, overriding distribution and mapping (ours)")
                .integer("SEED", 0, Y, "seed of the random mapping (ours)")
                .string("SCOPE", null, Y, "what is shared, comma-separated; empty means the architecture's default (ours)")
                .choice("RELAXATION", "none", Y, "per-layer relaxation of shared weights (ours)", "none", "dynamic", "lora")
                .integer("RELAX_GROUP", 64, Y, "output channels per dynamic-transform scale and offset (ours)")
                .integer("LORA_RANK", 8, Y, "rank of the LoRA relaxation (ours)");
    }

    private static void train(ConfigSchema.Section s) {
        s.bool("ENABLE", true, N, "run the training phase (our train command always trains)")
                .choice("DATASET", "fashion_mnist", Y, "training data set (its test split is evaluated): fashion_mnist,"
                                + " synthetic, cifar10 (the binary version in DATA.PATH_TO_DATA_DIR), image_folder or"
                                + " imagenet (the reference's name; both stream DATA.PATH_TO_DATA_DIR/train|val/<class>/*.jpg|png)",
                        "fashion_mnist", "synthetic", "cifar10", "image_folder", "imagenet")
                .integer("BATCH_SIZE", 64, Y, "the global batch: images per optimizer update, as the reference's"
                        + " (its devices each take BATCH_SIZE / NUM_GPUS)")
                .integer("REPEATED_AUG", 1, Y, "repeated augmentation: each image an epoch draws comes this many times,"
                        + " each augmented anew (DeiT's RASampler: 3); the epoch then draws the set's size rounded down to a"
                        + " multiple of 256; 1 is off (ours)")
                .integer("ACCUM_STEPS", 1, Y, "micro-batches each global batch is cut into, their gradients summed"
                        + " before the update: a large batch on a small machine; BatchNorm normalises each (ours)")
                .integer("EVAL_PERIOD", 1, Y, "evaluate every this many epochs")
                .integer("CHECKPOINT_PERIOD", 1, Y, "save a checkpoint every this many epochs")
                .integer("CHECKPOINT_PERIOD_STEPS", 0, Y, "also save the last checkpoint every this many steps within"
                        + " an epoch, so a crash loses at most that many; 0 saves at epoch ends only (ours)")
                .bool("AUTO_RESUME", true, Y, "continue from the newest checkpoint in OUTPUT_DIR")
                .bool("MIXED_PRECISION", false, Y, "train in half precision; answered with a notice and fp32 training:"
                        + " DJL 0.36's JNI has no bfloat16 type (README, GPU)")
                .bool("CHECKPOINT_EPOCH_RESET", false, Y, "restart the epoch count when loading CHECKPOINT_FILE_PATH")
                .string("CHECKPOINT_FILE_PATH", "", Y, "checkpoint to initialise from (e.g. an unshared model for weight fusion)");
    }

    private static void data(ConfigSchema.Section s) {
        s.string("PATH_TO_DATA_DIR", "", Y, "data set directory; empty means the default location")
                .numbers("MEAN", List.of(0.2860), Y, "per-channel mean subtracted from inputs")
                .numbers("STD", List.of(0.3530), Y, "per-channel standard deviation dividing inputs")
                .integer("NUM_FRAMES", 1, Y, "video frames per clip (SlowFast's); images are one frame, so it must be 1")
                .integer("TRAIN_CROP_SIZE", 28, Y, "the model's input side in pixels for image folders (the random-resized"
                        + " crop's size) and stats' MAC count; Fashion-MNIST and the synthetic set are 28, CIFAR-10 32, whatever it says")
                .integer("TEST_CROP_SIZE", 28, Y, "image folders' evaluation crop: the shorter side resized to"
                        + " int(256/224 x this), then the centre crop of this side")
                .integers("INPUT_CHANNEL_NUM", List.of(3), Y, "input channels per pathway (one pathway)")
                .numbers("TRAIN_JITTER_SCALES_RELATIVE", List.of(0.08, 1.0), Y, "random-resized-crop area range (image folders)")
                .numbers("TRAIN_JITTER_ASPECT_RELATIVE", List.of(0.75, 1.3333), Y,
                        "random-resized-crop aspect range, sampled log-uniformly (image folders)");
    }




    private static void aug(ConfigSchema.Section s) {
        s.bool("ENABLE", true, Y, "training augmentation: image folders take timm's pipeline (random-resized crop,"
                + " flip); in-memory sets a random shift and a flip; off, image folders train on the evaluation crop")
                .number("COLOR_JITTER", 0.4, Y, "colour jitter strength (brightness, contrast, saturation), image folders;"
                        + " as timm, only when AA_TYPE is empty or none")
                .string("AA_TYPE", "rand-m9-mstd0.5-inc1", Y, "RandAugment policy of image folders (timm's syntax:"
                        + " rand-m<level>-n<ops>-mstd<std>-inc<0|1>); empty or none for none")
                .string("INTERPOLATION", "bicubic", Y, "resampling of image folders' crops and resizes: bicubic or bilinear"
                        + " (Pillow's)")
                .number("RE_PROB", 0.25, Y, "random-erasing probability (image folders; timm's RandomErasing, after"
                        + " normalisation)")
                .string("RE_MODE", "pixel", Y, "random-erasing fill: pixel (normal noise per pixel), rand (per channel),"
                        + " const (zeros)")
                .integer("RE_COUNT", 1, Y, "random-erasing boxes per image at most (1 to this, the area shared)")
                .bool("RE_SPLIT", false, Y, "random erasing skips the clean augmentation split; we make no splits, so"
                        + " only False");
    }

    private static void mixup(ConfigSchema.Section s) {
        s.bool("ENABLE", false, Y, "mix training batches with themselves reversed: Mixup or CutMix (timm's Mixup,"
                        + " batch mode), soft targets")
                .number("ALPHA", 0.8, Y, "Mixup's Beta(alpha, alpha); 0: CutMix only")
                .number("CUTMIX_ALPHA", 1.0, Y, "CutMix's Beta(alpha, alpha); 0: Mixup only")
                .number("PROB", 1.0, Y, "probability of mixing a batch")
                .number("SWITCH_PROB", 0.5, Y, "probability of CutMix instead of Mixup when both alphas are positive")
                .number("LABEL_SMOOTH_VALUE", 0.1, Y, "label smoothing (the reference keeps it here), of the mixed"
                        + " targets too");
    }

    private static void solver(ConfigSchema.Section s) {
        s.number("BASE_LR", 0.01, Y, "peak learning rate")
                .integer("LR_REFERENCE_BATCH", null, Y, "when set, BASE_LR is the rate at a global batch of this size"
                        + " and is scaled linearly to TRAIN.BATCH_SIZE, as DeiT's lr x batch/512 (ours)")
                .bool("BASE_LR_SCALE_NUM_SHARDS", false, Y, "multiply BASE_LR, WARMUP_START_LR and COSINE_END_LR by"
                        + " NUM_SHARDS, as the reference does")
                .choice("LR_POLICY", "onecycle", Y, "learning-rate schedule over fractional epochs: onecycle (the"
                                + " reference's), cosine, steps_with_relative_lrs (BASE_LR x LRS[i] from epoch STEPS[i]),"
                                + " constant", "onecycle", "cosine", "steps_with_relative_lrs", "constant")
                .number("COSINE_END_LR", 0.0, Y, "the cosine schedule's final learning rate")
                .bool("COSINE_AFTER_WARMUP", false, Y, "start the cosine at its peak after the warm-up (else the"
                        + " warm-up ramps to where the cosine is at its end)")
                .numbers("STEPS", List.of(), Y, "epochs where steps_with_relative_lrs' steps start, from 0")
                .numbers("LRS", List.of(), Y, "steps_with_relative_lrs' factors of BASE_LR, one per STEPS entry")
                .integer("MAX_EPOCH", 300, Y, "training epochs")
                .choice("OPTIMIZING_METHOD", "adamw", Y, "optimiser: adamw (betas 0.9, 0.999, as the reference) or sgd"
                        + " (PyTorch's, with MOMENTUM, DAMPENING, NESTEROV)", "adamw", "sgd")
                .number("WEIGHT_DECAY", 2e-5, Y, "decoupled weight decay")
                .bool("ZERO_WD_1D_PARAM", null, Y, "no weight decay on biases and 1-D tensors either (norms, embeddings"
                        + " and tokens never decay); empty: the family's rule, False for ConvMixer as the reference, True for"
                        + " ViT and ConvNeXt as timm")
                .number("MOMENTUM", 0.9, Y, "SGD's momentum (AdamW's first beta is 0.9 whatever this says, as the"
                        + " reference builds it)")
                .number("DAMPENING", 0.0, Y, "SGD's dampening of the momentum")
                .bool("NESTEROV", true, Y, "SGD with Nesterov momentum (SlowFast's default)")
                .number("WARMUP_EPOCHS", 0.0, Y, "linear warm-up epochs (fractional), for every policy")
                .number("WARMUP_START_LR", 0.0, Y, "learning rate the warm-up starts from (SlowFast's default is"
                        + " 0.01; ours 0)")
                .number("CLIP_GRAD_L2NORM", null, Y, "clip the global gradient L2 norm to this; None disables")
                .integer("NONFINITE_GRAD_LIMIT", 10, Y, "updates in a row whose gradient norm is not finite (each is"
                        + " skipped, as the reference's loss scaler skips it) before training stops (ours)");
    }

    private static void model(ConfigSchema.Section s) {
        s.integer("NUM_CLASSES", 10, Y, "classifier outputs")
                .string("ARCH", "convmixer", Y, "model family")
                .string("MODEL_NAME", "ConvMixer", N, "the reference's model class name")
                .choice("LOSS_FUNC", "soft_cross_entropy", Y, "training loss",
                        "soft_cross_entropy", "cross_entropy")
                .number("DROPOUT_RATE", 0.0, Y, "dropout before the classifier");
    }

    private static void test(ConfigSchema.Section s) {
        s.bool("ENABLE", true, N, "run the test phase after training")
                .string("DATASET", "fashion_mnist", N, "test data set (we evaluate TRAIN.DATASET's test split)")
                .integer("BATCH_SIZE", 256, Y, "images per evaluation step")
                .string("CHECKPOINT_FILE_PATH", "", N, "checkpoint to evaluate");
    }
}
