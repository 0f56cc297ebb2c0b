package org.spin.train;

import java.nio.file.Path;
import org.spin.io.CheckpointFormat;

/**
 * What a finished (or stopped) run produced.
 *
 * @param finalEval the last evaluation, null if none ran
 * @param trainSeconds wall time spent in training steps (evaluation excluded)
 */
public record TrainingResult(Path runDir, int epochsDone, boolean stopped, EvalResult finalEval, double bestTop1,
                             double trainSeconds, double imagesPerSecond, long uniqueParams) {

    /** The run's last checkpoint ({@code RUN/last.safetensors}): what to resume, evaluate or compress. */
    public Path lastCheckpoint() {
        return CheckpointFormat.modelFile(runDir, "last");
    }
}
