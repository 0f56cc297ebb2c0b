package org.spin.workflow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.data.DataConfig;
import org.spin.io.CheckpointFormat;
import org.spin.io.DirectoryLock;
import org.spin.model.ModelCost;
import org.spin.model.Models;
import org.spin.model.Presets;
import org.spin.sweep.ResultFile;
import org.spin.sweep.RunClaim;
import org.spin.sweep.RunResult;
import org.spin.sweep.RunStatus;
import org.spin.sweep.SweepEta;
import org.spin.sweep.SweepPlan;
import org.spin.sweep.SweepRun;
import org.spin.sweep.SweepSpec;
import org.spin.train.EvalResult;
import org.spin.train.RunDirectory;
import org.spin.train.TrainingListener;
import org.spin.train.TrainingResult;

/**
 * Training one shard of a sweep: every run of the sweep file whose index is {@code i mod n},
 * each in {@code out/runs/NAME} with its {@code result.json}. Resumable (a run marked done is
 * skipped, a run part done resumes) and safe beside other shards (one writer per run directory;
 * a fusion run waits for the teacher another shard trains).
 */
public final class Sweep {

    /** What a shard did: runs trained now, failed, done before, and left to another writer. */
    public record Outcome(int trained, int failed, int doneBefore, int busy, boolean stopped) {}

    private final SweepSpec spec;
    private final Path out;
    private final int shard;
    private final int shards;
    private final SpinConfig base;
    private final List<SweepRun> runs;
    private int waitMinutes = 360;
    private Consumer<String> log = line -> {};
    private Function<String, TrainingListener> progress = label -> TrainingListener.NONE;
    private Consumer<SpinConfig> beforeRun = cfg -> {};

    /** Shard {@code shard} of {@code shards} (0-based) of the sweep {@code spec}, in {@code out}. */
    public Sweep(SweepSpec spec, Path out, int shard, int shards) {
        this.spec = spec;
        this.out = out;
        this.shard = shard;
        this.shards = shards;
        this.base = base(spec);
        this.runs = SweepPlan.runs(spec, s -> configOf(base, s));
    }

    /** How long a fusion run waits for a teacher another shard owns (default 360). */
    public Sweep waitMinutes(int minutes) {
        this.waitMinutes = minutes;
        return this;
    }

    /** Where the sweep's own lines go (a run starts, is done, fails, waits). */
    public Sweep log(Consumer<String> log) {
        this.log = log;
        return this;
    }

    /** Each run's training listener, by its label ({@code [i/n] NAME}). */
    public Sweep progress(Function<String, TrainingListener> progress) {
        this.progress = progress;
        return this;
    }

    /** Called with each run's config before it trains (the CLI installs a missing data set); a throw fails the run. */
    public Sweep beforeEachRun(Consumer<SpinConfig> beforeRun) {
        this.beforeRun = beforeRun;
        return this;
    }

    /** Every run of the sweep, in order; run i belongs to shard {@code i mod n}. */
    public List<SweepRun> runs() {
        return runs;
    }

    /** This shard's runs. */
    public List<SweepRun> mine() {
        return SweepPlan.shard(runs, shard, shards);
    }

    /** Where a sweep file's runs go when the caller names no folder: its {@code output}, or runs/sweeps/NAME. */
    public static Path defaultOutput(Path file, SweepSpec spec) {
        return spec.output() != null ? spec.output()
                : Path.of("runs", "sweeps", file.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
    }

    /**
     * Trains this shard's runs in order; a run's failure is recorded in its result.json and the
     * shard goes on. The same shard started twice is refused (its lock file).
     */
    public Outcome run(StopSignal stop) throws InterruptedException {
        try (DirectoryLock shardLock = DirectoryLock.acquire(out, ".shard-" + shard + "-of-" + shards + ".lock",
                "spin sweep shard " + shard + "/" + shards)) {
            return runShard(stop);
        }
    }

    private Outcome runShard(StopSignal stop) throws InterruptedException {
        List<SweepRun> mine = mine();
        // What is left to train (MACs x epochs per run; runs done before count nothing), for the time left.
        double[] work = mine.stream().mapToDouble(r -> "done".equals(ResultFile.status(out.resolve("runs").resolve(r.name())))
                ? 0 : work(configOf(base, r.settings()))).toArray();
        SweepEta eta = new SweepEta();
        int done = 0;
        int failed = 0;
        int skipped = 0;
        int busy = 0;
        for (int i = 0; i < mine.size(); i++) {
            SweepRun run = mine.get(i);
            Path dir = out.resolve("runs").resolve(run.name());
            String label = String.format("[%d/%d] %s", i + 1, mine.size(), run.name());
            if ("done".equals(ResultFile.status(dir))) {
                log.accept(label + ": done before, skipped");
                skipped++;
                continue;
            }
            if (stop.requested()) {
                return new Outcome(done, failed, skipped, busy, true);
            }
            OptionalDouble left = eta.secondsFor(Arrays.stream(work, i, work.length).filter(Double::isFinite).sum());
            String note = left.isPresent() ? "; " + (shards > 1 ? "this shard" : "sweep") + ": about "
                    + SweepEta.format(left.getAsDouble()) + " left" : "";
            Ended ended = trainRun(run, dir, label, note, stop, SweepPlan.shardOf(runs, run.teacher(), shards));
            switch (ended.end()) {
                case BUSY -> busy++;
                case FAILED -> failed++;
                case STOPPED -> {
                    return new Outcome(done, failed, skipped, busy, true);
                }
                case DONE -> {
                    if (!ended.resumed()) { // a run part done is no measure of its size
                        eta.observe(work[i], ended.trainSeconds());
                    }
                    done++;
                }
            }
        }
        return new Outcome(done, failed, skipped, busy, false);
    }

    /**
     * Works as one of any number of workers, on any machines sharing the sweep folder: takes the
     * first run that is neither ended nor claimed ({@link RunClaim}), trains it (resuming it when
     * a dead worker's claim was taken over), and starts over, until every run has ended. A fusion
     * run is claimable only once its teacher is done; runs that failed before this worker started
     * are tried again once. The fastest worker takes the most runs.
     *
     * @param worker names this worker in claims and lines
     * @param beat   how often a held claim's heartbeat is renewed
     * @param stale  how old a heartbeat must be for its claim to count as dead
     * @param poll   how long to wait when every open run is held by others or waits for its teacher
     */
    public Outcome claim(String worker, Duration beat, Duration stale, Duration poll, StopSignal stop)
            throws InterruptedException {
        Set<String> retry = new HashSet<>();
        for (SweepRun run : runs) {
            if ("failed".equals(ResultFile.status(out.resolve("runs").resolve(run.name())))) {
                retry.add(run.name());
            }
        }
        int done = 0;
        int failed = 0;
        boolean said = false;
        while (true) {
            int open = 0;
            boolean trained = false;
            for (int i = 0; i < runs.size() && !trained; i++) {
                SweepRun run = runs.get(i);
                Path dir = out.resolve("runs").resolve(run.name());
                String status = ResultFile.status(dir);
                if ("done".equals(status) || ("failed".equals(status) && !retry.contains(run.name()))) {
                    continue;
                }
                open++;
                if (run.teacher() != null) {
                    String teacher = ResultFile.status(out.resolve("runs").resolve(run.teacher()));
                    if (!"done".equals(teacher) && !"failed".equals(teacher)) {
                        continue; // claimable once its teacher is done (a failed teacher fails it, with the reason)
                    }
                }
                String label = String.format("[%d/%d] %s", i + 1, runs.size(), run.name());
                Optional<RunClaim> claim = RunClaim.tryClaim(dir, worker, beat, stale,
                        dead -> log.accept(label + ": took over the claim of " + dead + ", whose heartbeat stopped"));
                if (claim.isEmpty()) {
                    continue;
                }
                try (RunClaim held = claim.get()) {
                    if ("done".equals(ResultFile.status(dir))) {
                        continue; // ended by another worker between the look and the claim
                    }
                    retry.remove(run.name());
                    if (stop.requested()) {
                        return new Outcome(done, failed, 0, 0, true);
                    }
                    Ended ended = trainRun(run, dir, label + " (" + worker + ")", "", stop, -1);
                    switch (ended.end()) {
                        case DONE -> done++;
                        case FAILED -> failed++;
                        case STOPPED -> {
                            return new Outcome(done, failed, 0, 0, true);
                        }
                        case BUSY -> { } // its directory lock is held: another writer, left to it
                    }
                    trained = ended.end() != RunEnd.BUSY;
                    said = false;
                }
            }
            if (open == 0) {
                return new Outcome(done, failed, 0, 0, false);
            }
            if (!trained) {
                if (!said) {
                    log.accept(worker + ": " + open + " run(s) not ended, each claimed by another worker or waiting for"
                            + " its teacher; looking again every " + poll.toSeconds() + " s");
                    said = true;
                }
                if (stop.requested()) {
                    return new Outcome(done, failed, 0, 0, true);
                }
                Thread.sleep(poll.toMillis());
            }
        }
    }

    /** How one run ended for the worker that took it up. */
    enum RunEnd { DONE, FAILED, BUSY, STOPPED }

    /** A run's end, the seconds it trained (after any wait for its teacher), and whether it resumed. */
    record Ended(RunEnd end, double trainSeconds, boolean resumed) {}

    /**
     * Trains one run into {@code dir} under its lock: marks it running, waits for its teacher
     * (owned by shard {@code teacherShard}, for the message), trains or resumes it, and records
     * how it ended in its result.json. A run another writer holds is left to it.
     */
    Ended trainRun(SweepRun run, Path dir, String label, String note, StopSignal stop, int teacherShard)
            throws InterruptedException {
        long start = System.nanoTime();
        SpinConfig cfg = configOf(base, run.settings()).with("OUTPUT_DIR", dir.toString()).with("TRAIN.AUTO_RESUME", true);
        DirectoryLock runLock;
        try {
            // held from the first write of result.json to the last; the trainer takes it again
            runLock = DirectoryLock.acquire(dir, RunDirectory.LOCK, "spin sweep " + out);
        } catch (SpinException inUse) {
            log.accept(label + ": " + inUse.getMessage() + "; left to it");
            return new Ended(RunEnd.BUSY, 0, false);
        }
        try (runLock) {
            if (run.teacher() != null) {
                Path teacherDir = out.resolve("runs").resolve(run.teacher());
                awaitTeacher(run, teacherDir, teacherShard, label);
                cfg = cfg.with("TRAIN.CHECKPOINT_FILE_PATH", CheckpointFormat.modelFile(teacherDir, "last").toString())
                        .with("TRAIN.CHECKPOINT_EPOCH_RESET", true);
            }
            ResultFile.write(dir, result(run, cfg, RunStatus.RUNNING, null, null, start));
            beforeRun.accept(cfg);
            log.accept(label + ": training " + run.settings() + note);
            boolean resumed = Files.exists(CheckpointFormat.modelFile(dir, "last"));
            long trainStart = System.nanoTime(); // after any wait for a teacher, which says nothing of speed
            TrainingResult r = Training.run(cfg, progress.apply(label), true, stop);
            if (r.stopped()) {
                log.accept(label + ": stopped; run the sweep again to resume it");
                return new Ended(RunEnd.STOPPED, 0, resumed);
            }
            ResultFile.write(dir, result(run, cfg, RunStatus.DONE, null, r, start));
            log.accept(label + ": done" + (r.finalEval() == null ? ""
                    : String.format(", test top-1 %.2f%%", 100 * r.finalEval().top1())));
            return new Ended(RunEnd.DONE, (System.nanoTime() - trainStart) / 1e9, resumed);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            String msg = e instanceof SpinException ? e.getMessage() : e.toString();
            log.accept(label + ": failed: " + msg);
            try {
                ResultFile.write(dir, result(run, cfg, RunStatus.FAILED, msg, null, start));
            } catch (Exception writeFailed) {
                log.accept(label + ": could not record the failure: " + writeFailed);
            }
            return new Ended(RunEnd.FAILED, 0, false);
        }
    }

    /** Waits for a teacher another shard owns (this shard runs its own teachers first). */
    private void awaitTeacher(SweepRun run, Path teacherDir, int owner, String label) throws InterruptedException {
        long deadline = System.nanoTime() + waitMinutes * 60_000_000_000L;
        while (true) {
            String status = ResultFile.status(teacherDir);
            if ("done".equals(status)) {
                return;
            }
            if ("failed".equals(status)) {
                throw new SpinException("teacher " + run.teacher() + " failed: " + ResultFile.error(teacherDir));
            }
            if (System.nanoTime() > deadline) {
                throw new SpinException("teacher " + run.teacher() + " (shard " + owner + ") did not finish within "
                        + waitMinutes + " minutes; run that shard, then this one again");
            }
            log.accept(String.format("%s: waiting for teacher %s (shard %d, status %s)", label, run.teacher(), owner,
                    status == null ? "not started" : status));
            Thread.sleep(30_000);
        }
    }

    /** The sweep's common config: defaults, its preset, its base file, its {@code set} keys. */
    static SpinConfig base(SweepSpec spec) {
        SpinConfig c = SpinConfig.defaults();
        if (spec.preset() != null) {
            c = Presets.get(spec.preset()).applyTo(c);
        }
        if (spec.base() != null) {
            c = c.withYaml(spec.base());
        }
        for (Map.Entry<String, Object> e : spec.set().entrySet()) {
            c = c.with(e.getKey(), e.getValue());
        }
        return c;
    }

    /** The base with a run's settings; a swept share rate turns sharing on above 1. */
    static SpinConfig configOf(SpinConfig base, Map<String, Object> settings) {
        SpinConfig c = base;
        for (Map.Entry<String, Object> e : settings.entrySet()) {
            c = c.with(e.getKey(), e.getValue());
        }
        String ws = Models.weightShare(c);
        if (settings.containsKey(ws + "SHARE_RATE") && !settings.containsKey(ws + "ENABLE")) {
            c = c.with(ws + "ENABLE", c.getInt(ws + "SHARE_RATE") > 1);
        }
        return c;
    }

    /** A run's size for the sweep's ETA: MACs per image x epochs; NaN if the model cannot be built. */
    private static double work(SpinConfig cfg) {
        try {
            return (double) Models.cost(cfg, DataConfig.from(cfg).imageSize()).totalMacs() * cfg.getInt("SOLVER.MAX_EPOCH");
        } catch (RuntimeException badModel) {
            return Double.NaN; // the run will fail on it and say why
        }
    }

    private static RunResult result(SweepRun run, SpinConfig cfg, RunStatus status, String error, TrainingResult r,
                                    long start) {
        int size = DataConfig.from(cfg).imageSize();
        ModelCost cost;
        try {
            cost = Models.cost(cfg, size);
        } catch (SpinException badModel) {
            cost = null; // the run failed on it; its error says why
        }
        EvalResult last = r == null ? null : r.finalEval();
        return new RunResult(run.name(), status, error, run.settings(), cfg.asMap(), cfg.getString("MODEL.ARCH"),
                cost != null && Models.shares(cfg), run.teacher() != null, run.teacher(),
                cost == null ? null : cost.uniqueParams(), cost == null ? null : cost.unsharedParams(),
                cost == null ? null : cost.totalMacs(), last == null ? null : last.top1(), last == null ? null : last.top5(),
                r == null || Double.isNaN(r.bestTop1()) ? null : r.bestTop1(), r == null ? null : r.epochsDone(),
                (System.nanoTime() - start) / 1e9, size);
    }
}
