package org.spin.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.bench.PhotoSet;

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

    /**
     * The same on an image folder streamed with the reference's whole pipeline (random-resized crop,
     * flip, RandAugment, random erasing, Mixup/CutMix) on two loader threads: every sample's draws
     * must replay after a resume, whichever thread built it. A weight average (MODEL_EMA) resumes too.
     */
    @Test
    void aRunOnAStreamedPhotoFolderKilledAtAnyMomentResumesToTheSameResult() throws Exception {
        assumeTrue(Files.isRegularFile(PhotoSet.SOURCE.resolve(PhotoSet.PHOTOS.get(0))),
                "the photographs of Debian's " + PhotoSet.PACKAGE + " are not installed");
        Path photos = tmp.resolve("photos");
        PhotoSet.Summary s = PhotoSet.build(photos, 3, 40); // 80 training tiles: 20 steps an epoch
        List<String> data = List.of("TRAIN.DATASET", "image_folder", "DATA.PATH_TO_DATA_DIR", photos.toString(),
                "DATA.INPUT_CHANNEL_NUM", "[3]", "DATA.TRAIN_CROP_SIZE", "32", "DATA.TEST_CROP_SIZE", "32",
                "MODEL.NUM_CLASSES", "3", "MIXUP.ENABLE", "True", "TRAIN.BATCH_SIZE", "4", "TEST.BATCH_SIZE", "6",
                "TRAIN.CHECKPOINT_PERIOD_STEPS", "2", "DATA_LOADER.NUM_WORKERS", "2", "MODEL_EMA.ENABLE", "True",
                "MODEL_EMA.DECAY", "0.9");
        CrashTrials trials = new CrashTrials(Files.createDirectories(tmp.resolve("trials")), Long.getLong("spin.crashSeed", 2468),
                data, s.train() / 4);
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
