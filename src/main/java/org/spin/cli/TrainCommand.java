package org.spin.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.data.BatchLoader;
import org.spin.model.SpinModel;
import org.spin.train.Checkpoints;
import org.spin.train.DataSources;
import org.spin.train.Distillation;
import org.spin.train.InitialWeights;
import org.spin.train.RunDirectory;
import org.spin.train.Trainer;
import org.spin.train.TrainingListener;
import org.spin.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", description = "Train on the config's data set; resumes OUTPUT_DIR's last checkpoint.")
final class TrainCommand implements Callable<Integer> {

    @Mixin
    ModelOptions opts;

    @Option(names = "--epochs", paramLabel = "E", description = "SOLVER.MAX_EPOCH")
    Integer epochs;

    @Option(names = "--output", paramLabel = "DIR", description = "OUTPUT_DIR, the run directory.")
    Path output;

    @Option(names = "--resume", description = "Continue from OUTPUT_DIR/last.safetensors (it must exist).")
    boolean resume;

    @Override
    public Integer call() {
        opts.setUpEngine();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("SOLVER.MAX_EPOCH", epochs);
        o.put("OUTPUT_DIR", output == null ? null : output.toString());
        SpinConfig cfg = opts.resolve(SpinConfig.defaults(), o);
        Path runDir = Path.of(cfg.getString("OUTPUT_DIR"));
        if (resume && !Files.exists(Checkpoints.modelFile(runDir, "last"))) {
            throw new SpinException("--resume: " + Checkpoints.modelFile(runDir, "last") + " does not exist");
        }
        CountDownLatch reported = new CountDownLatch(1);
        TrainingResult r = train(cfg, "train", resume || cfg.getBool("TRAIN.AUTO_RESUME"), reported);
        System.out.printf("run %s: %d epoch(s)%s, test top-1 %s, best %s, %.0f img/s, %,d unique params%n",
                r.runDir(), r.epochsDone(), r.stopped() ? " (stopped)" : "",
                r.finalEval() == null ? "n/a" : String.format("%.2f%%", 100 * r.finalEval().top1()),
                Double.isNaN(r.bestTop1()) ? "n/a" : String.format("%.2f%%", 100 * r.bestTop1()),
                r.imagesPerSecond(), r.uniqueParams());
        System.out.flush();
        reported.countDown();
        return r.stopped() ? 130 : 0;
    }

    /**
     * Loads data, builds the model, trains; the run directory appears only once both worked.
     * On Ctrl-C the JVM's shutdown waits for the checkpoint, then for {@code reported} (the
     * caller's summary) for a few seconds.
     */
    static TrainingResult train(SpinConfig cfg, String label, boolean resume, CountDownLatch reported) {
        Trainer.validate(cfg);
        DataSetSetup.ensure(cfg);
        BatchLoader trainLoader = DataSources.loader(cfg, DataSources.load(cfg, true), true);
        BatchLoader testLoader = DataSources.loader(cfg, DataSources.load(cfg, false), false);
        Path runDir = Path.of(cfg.getString("OUTPUT_DIR"));
        try (Workbench wb = Workbench.running(cfg)) {
            SpinModel model = wb.build(DataSources.imageSize(cfg));
            boolean resumes = resume && Files.exists(Checkpoints.modelFile(runDir, "last"));
            Path init = resumes ? null : InitialWeights.load(cfg, model);
            Distillation distillation = InitialWeights.distillation(cfg, wb.manager, DataSources.imageSize(cfg));
            // the folder and its lock only once everything that can fail on bad input has worked
            try (RunDirectory run = new RunDirectory(runDir)) {
                Trainer trainer = new Trainer(cfg, model, wb.manager, trainLoader, testLoader, run, progress(label, run, init));
                trainer.distillFrom(distillation);
                return fit(trainer, resume, reported);
            }
        }
    }

    private static TrainingListener progress(String label, RunDirectory run, Path init) {
        ConsoleProgress progress = new ConsoleProgress(label);
        run.takenOverFrom().ifPresent(dead -> progress.onMessage("took over " + run.path() + " from " + dead
                + ", which is no longer running"));
        if (init != null) {
            progress.onMessage("initialised from " + init);
        }
        return CrashTrialMarker.wrap(progress);
    }

    /** Trains; on Ctrl-C the JVM's shutdown waits for the checkpoint, then for the caller's summary. */
    private static TrainingResult fit(Trainer trainer, boolean resume, CountDownLatch reported) {
        Thread onCtrlC = new Thread(() -> {
            trainer.requestStop();
            try {
                trainer.awaitFinished(120_000);
                reported.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            return trainer.fit(resume);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for us
            }
        }
    }
}
