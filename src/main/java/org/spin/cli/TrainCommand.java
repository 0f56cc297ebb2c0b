package org.spin.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.io.CheckpointFormat;
import org.spin.train.Recipe;
import org.spin.train.Trainer;
import org.spin.train.TrainingListener;
import org.spin.workflow.StopSignal;
import org.spin.workflow.Training;
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
        if (resume && !Files.exists(CheckpointFormat.modelFile(runDir, "last"))) {
            throw new SpinException("--resume: " + CheckpointFormat.modelFile(runDir, "last") + " does not exist");
        }
        Recipe.from(cfg); // before any set-up a bad config would waste
        DataSetSetup.ensure(cfg);
        StopSignal stop = new StopSignal();
        boolean resumes = resume || cfg.getBool("TRAIN.AUTO_RESUME");
        return CtrlC.guard(stop, () -> Training.run(cfg, progress("train"), resumes, stop), r -> {
            System.out.printf("run %s: %d epoch(s)%s, test top-1 %s, best %s, %.0f img/s, %,d unique params%n",
                    r.runDir(), r.epochsDone(), r.stopped() ? " (stopped)" : "",
                    r.finalEval() == null ? "n/a" : String.format("%.2f%%", 100 * r.finalEval().top1()),
                    Double.isNaN(r.bestTop1()) ? "n/a" : String.format("%.2f%%", 100 * r.bestTop1()),
                    r.imagesPerSecond(), r.uniqueParams());
            return r.stopped() ? 130 : 0;
        });
    }

    /** Console progress under {@code label}, with the crash-trial hook when it is asked for. */
    static TrainingListener progress(String label) {
        return CrashTrialMarker.wrap(new ConsoleProgress(label));
    }
}
