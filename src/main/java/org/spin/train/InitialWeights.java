package org.spin.train;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.io.SafeTensorsFile;
import org.spin.io.WeightFiles;
import org.spin.model.Models;
import org.spin.model.SpinModel;
import org.spin.model.StateDicts;

/**
 * Weights a run starts from rather than resumes: {@code TRAIN.CHECKPOINT_FILE_PATH} (weight
 * fusion starts a shared model from a trained unshared one) and the teacher of
 * {@code DISTILL.TEACHER}. Ours or the reference's files ({@code .pth}, {@code .pyth}).
 */
public final class InitialWeights {

    private InitialWeights() {}

    /**
     * Loads {@code TRAIN.CHECKPOINT_FILE_PATH} into {@code model} if set. A fusion model's
     * per-layer sources take the file's per-layer tensors (e.g. {@code pwise_w.{l}}); its
     * reduction weights and relaxations keep their initial values when the file (an unshared
     * model) has none, except that LoRA relaxations start from the SVD of what fusion lost.
     *
     * @return the file loaded, or null when the key is empty
     */
    public static Path load(SpinConfig cfg, SpinModel model) {
        String file = cfg.getString("TRAIN.CHECKPOINT_FILE_PATH");
        if (file == null || file.isBlank()) {
            return null;
        }
        if (!cfg.getBool("TRAIN.CHECKPOINT_EPOCH_RESET")) {
            throw new SpinException("TRAIN.CHECKPOINT_FILE_PATH " + file + " with TRAIN.CHECKPOINT_EPOCH_RESET False:"
                    + " continuing that file's schedule is not supported; set it True to start at epoch 0"
                    + " (as WFWS-ConvMixer.yaml), or resume a run of ours with --resume");
        }
        Path path = Path.of(file);
        java.util.Set<String> fresh = new java.util.HashSet<>(model.freshKeys());
        var tensors = WeightFiles.read(path).tensors();
        StateDicts.load(model, tensors, "TRAIN.CHECKPOINT_FILE_PATH " + path, fresh::contains);
        boolean relaxedFromScratch = fresh.stream().noneMatch(tensors::containsKey);
        if (relaxedFromScratch) {
            model.sharedTensors().forEach(t -> t.initLoraFromSources(manager(model)));
        }
        return path;
    }

    private static NDManager manager(SpinModel model) {
        return model.stateDict().values().iterator().next().getArray().getManager();
    }

    /**
     * The distillation of {@code DISTILL.*}: the teacher loaded, frozen and checked against the
     * student's classes and input channels, so a mismatch fails before a run directory exists.
     * The teacher's config is the file's own (our checkpoints carry one); a reference file
     * carries none, so it is taken to be the student's architecture without sharing.
     *
     * @return null when {@code DISTILL.TEACHER} is empty
     */
    public static Distillation distillation(SpinConfig cfg, NDManager manager, int imageSize) {
        String file = cfg.getString("DISTILL.TEACHER");
        if (file == null || file.isBlank()) {
            return null;
        }
        double alpha = cfg.getDouble("DISTILL.ALPHA");
        double temperature = cfg.getDouble("DISTILL.TEMPERATURE");
        Distillation.check(alpha, temperature); // before the teacher is read
        return new Distillation(teacher(Path.of(file), cfg, manager, imageSize), alpha, temperature);
    }

    /** A frozen model from a weights file: its own config, or for a reference file the unshared twin of {@code cfg}. */
    public static SpinModel teacher(Path path, SpinConfig cfg, NDManager manager, int imageSize) {
        SafeTensorsFile f = WeightFiles.read(path);
        SpinConfig own = ownConfig(f, cfg);
        for (String key : new String[] {"MODEL.NUM_CLASSES", "DATA.INPUT_CHANNEL_NUM"}) {
            if (!String.valueOf(own.get(key)).equals(String.valueOf(cfg.get(key)))) {
                throw new SpinException("teacher " + path + ": " + key + " " + own.get(key) + " but the student has "
                        + cfg.get(key));
            }
        }
        SpinModel teacher = Models.build(own, manager, imageSize);
        StateDicts.load(teacher, f, path); // its own config, so its own plan
        teacher.stateDict().values().forEach(p -> p.freeze(true));
        return teacher;
    }

    /** The config a weights file was trained with, or for a bare reference file the unshared twin of {@code cfg}. */
    public static SpinConfig ownConfig(SafeTensorsFile f, SpinConfig cfg) {
        String own = f.metadata().get("config");
        return own != null ? SpinConfig.fromJson(own) : unshared(cfg);
    }

    /** {@code cfg} without sharing or fusion: the unshared model of the same shape. */
    public static SpinConfig unshared(SpinConfig cfg) {
        String ws = Models.weightShare(cfg);
        return cfg.with(ws + "ENABLE", false).with(ws + "REDUCTION_FN", null).with(ws + "PLAN", null)
                .with(ws + "RELAXATION", "none")
                .with(ws + "GROUP_SIZES", null) // with ENABLE false, GROUP_SIZES is an error
                .with("TRAIN.CHECKPOINT_FILE_PATH", "").with("DISTILL.TEACHER", "");
    }
}
