package org.spin.workflow;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.data.DataConfig;
import org.spin.data.Loader;
import org.spin.io.CheckpointFormat;
import org.spin.model.Models;
import org.spin.model.SpinModel;
import org.spin.train.Distillation;
import org.spin.train.InitialWeights;
import org.spin.train.ModelEma;
import org.spin.train.Recipe;
import org.spin.train.Replicas;
import org.spin.train.RunDirectory;
import org.spin.train.RunRecord;
import org.spin.train.Trainer;
import org.spin.train.TrainingListener;
import org.spin.train.TrainingResult;

/**
 * Training a run from its config: data, model, initial weights ({@code TRAIN.CHECKPOINT_FILE_PATH}),
 * teacher ({@code DISTILL.TEACHER}), run directory ({@code OUTPUT_DIR}), then the trainer.
 */
public final class Training {

    private Training() {}

    /** {@link #run(SpinConfig, TrainingListener, boolean, StopSignal)} that resumes as {@code TRAIN.AUTO_RESUME} says. */
    public static TrainingResult run(SpinConfig cfg, TrainingListener listener) {
        return run(cfg, listener, cfg.getBool("TRAIN.AUTO_RESUME"), new StopSignal());
    }

    /**
     * Trains to {@code SOLVER.MAX_EPOCH}. Everything that can fail on bad input (data, model,
     * initial weights, teacher) is done before the run directory is created or locked.
     *
     * @param resume continue from {@code OUTPUT_DIR}'s last checkpoint when there is one
     * @param stop   stops the run at the next step, with a checkpoint; the result then says {@code stopped()}
     */
    public static TrainingResult run(SpinConfig cfg, TrainingListener listener, boolean resume, StopSignal stop) {
        Recipe recipe = Recipe.from(cfg);
        RunRecord record = RunRecord.of(cfg);
        DataConfig data = DataConfig.from(cfg);
        Loader trainLoader = data.loader(true).reportingTo(listener::onMessage);
        Loader testLoader = data.loader(false).reportingTo(listener::onMessage);
        Path runDir = Path.of(cfg.getString("OUTPUT_DIR"));
        int size = data.imageSize();
        try (Session session = Session.training(cfg);
             Session averages = recipe.ema() != null && recipe.ema().forceCpu() ? Session.onCpu(cfg) : null) {
            // said when training starts, after every check of the input, so that an error stays one line
            List<String> notices = new ArrayList<>();
            session.notice().ifPresent(notices::add);
            if (cfg.getBool("TRAIN.MIXED_PRECISION")) {
                notices.add("TRAIN.MIXED_PRECISION True: training in fp32; bf16 cannot be reached through DJL 0.36,"
                        + " whose JNI has no bfloat16 type (README, GPU)");
            }
            SpinModel model = session.build(size);
            boolean resumes = resume && Files.exists(CheckpointFormat.modelFile(runDir, "last"));
            Path init = resumes ? null : InitialWeights.load(cfg, model);
            Distillation distillation = InitialWeights.distillation(cfg, session.manager(), size);
            if (distillation != null && data.mixup() != null) {
                throw new SpinException("DISTILL.TEACHER with MIXUP.ENABLE True: distilling on mixed batches is not"
                        + " supported; set MIXUP.ENABLE False or DISTILL.TEACHER empty");
            }
            try (RunDirectory run = new RunDirectory(runDir)) {
                run.takenOverFrom().ifPresent(dead -> listener.onMessage("took over " + run.path() + " from " + dead
                        + ", which is no longer running"));
                if (init != null) {
                    listener.onMessage("initialised from " + init);
                }
                Trainer trainer = new Trainer(recipe, record, model, session.manager(), trainLoader, testLoader, run,
                        listener);
                trainer.distillFrom(distillation);
                if (recipe.ema() != null) {
                    // the average starts at the initial weights, as timm's, and a resume restores it
                    Session home = averages != null ? averages : session;
                    trainer.averaging(new ModelEma(model, home.build(size), recipe.ema().decay(), recipe.ema().warmup()));
                }
                Replicas replicas = replicate(session, cfg, model, size, recipe, notices);
                try {
                    trainer.replicatedOn(replicas);
                    trainer.announcing(notices);
                    stop.enter(trainer);
                    try {
                        return trainer.fit(resume);
                    } finally {
                        stop.leave(trainer);
                    }
                } finally {
                    if (replicas != null) {
                        replicas.closeAll();
                    }
                }
            }
        }
    }

    /**
     * The data-parallel replicas of {@code model} on the session's other devices (null for one
     * device); the global batch must split evenly over them and their micro-batches.
     */
    private static Replicas replicate(Session session, SpinConfig cfg, SpinModel model, int size, Recipe recipe,
                                      List<String> notices) {
        List<Device> devices = session.devices();
        if (devices.size() == 1) {
            return null;
        }
        int shards = devices.size() * recipe.accumSteps();
        if (recipe.batchSize() % shards != 0) {
            throw new SpinException("TRAIN.BATCH_SIZE " + recipe.batchSize() + " does not split over " + devices.size()
                    + " replicas (NUM_GPUS or NUM_CPU_REPLICAS) x TRAIN.ACCUM_STEPS " + recipe.accumSteps()
                    + "; expected a multiple of " + shards);
        }
        List<NDManager> managers = new ArrayList<>();
        List<SpinModel> others = new ArrayList<>();
        try {
            for (Device d : devices.subList(1, devices.size())) {
                NDManager m = NDManager.newBaseManager(d);
                managers.add(m);
                others.add(Models.build(cfg, m, size));
            }
        } catch (RuntimeException e) {
            managers.forEach(NDManager::close);
            throw e;
        }
        notices.add("data parallel: " + devices.size() + " replicas on " + devices + ", "
                + recipe.batchSize() / devices.size() + " images each per step");
        return new Replicas(model, others, managers);
    }
}
