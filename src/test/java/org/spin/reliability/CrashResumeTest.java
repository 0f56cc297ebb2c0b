package org.spin.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short version of {@code bench/crash-resume}: one trial of each kind of kill (random, between
 * steps, inside a step, inside a checkpoint write) and one killed sweep, each resumed to the end
 * and compared bit for bit with an uninterrupted run. {@code -Dspin.crashTrials=N} runs more.
 */
class CrashResumeTest {

    @TempDir
    Path tmp;

    @Test
    void aRunKilledAtAnyMomentResumesToTheSameWeightsOptimizerStateAndMetrics() throws Exception {
        CrashTrials trials = new CrashTrials(tmp, Long.getLong("spin.crashSeed", 12345));
        List<CrashTrials.Trial> runs = trials.train(Integer.getInteger("spin.crashTrials", CrashTrials.Kind.values().length));
        assertThat(runs).allSatisfy(t -> assertThat(t.difference()).as("trial %d, %s, killed %s", t.index(), t.kind(),
                t.killedAt()).isNull());
    }

    @Test
    void aSweepKilledMidRunResumesAndEndsEachRunOnce() throws Exception {
        CrashTrials trials = new CrashTrials(tmp, Long.getLong("spin.crashSeed", 6789));
        List<CrashTrials.Trial> sweeps = trials.sweep(Integer.getInteger("spin.sweepCrashTrials", 1));
        assertThat(sweeps).allSatisfy(t -> assertThat(t.difference()).as("sweep trial %d, killed %s", t.index(),
                t.killedAt()).isNull());
    }
}
