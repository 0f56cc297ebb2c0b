package org.spin.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.io.DirectoryLock;
import org.spin.model.ModelCost;
import org.spin.model.Models;
import org.spin.model.Presets;
import org.spin.runtime.EngineSetup;
import org.spin.sweep.ResultFile;
import org.spin.sweep.SweepEta;
import org.spin.sweep.SweepPlan;
import org.spin.sweep.SweepRun;
import org.spin.sweep.SweepSpec;
import org.spin.train.Checkpoints;
import org.spin.train.DataSources;
import org.spin.train.RunDirectory;
import org.spin.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sweep", description = "Train every run of a sweep file (grids and points over config keys); resumable and shardable.")
final class SweepCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SWEEP.yaml", description = "The sweep file (see configs/sweeps/).")
    Path file;

    @Option(names = "--output", paramLabel = "DIR", description = "Sweep directory (default: the file's output, or runs/sweeps/NAME).")
    Path output;

    @Option(names = "--shard", paramLabel = "i/n", description = "Run only shard i of n (0-based), e.g. a Slurm array task.")
    String shard = "0/1";

    @Option(names = "--dry-run", description = "List the runs (and their shards) without training.")
    boolean dryRun;

    @Option(names = "--wait-minutes", paramLabel = "M", description = "How long a fusion run waits for a teacher another shard owns (default 360).")
    int waitMinutes = 360;

    @Option(names = "--threads", paramLabel = "N", description = "Engine intra-op threads (default: what this process may use: OMP_NUM_THREADS, SLURM_CPUS_PER_TASK, else its CPU affinity and quota).")
    int threads;

    @Override
    public Integer call() throws InterruptedException {
        SweepSpec spec = SweepSpec.read(file);
        int[] sh = SweepPlan.parseShard(shard);
        SpinConfig base = base(spec);
        List<SweepRun> runs = SweepPlan.runs(spec, s -> configOf(base, s));
        List<SweepRun> mine = SweepPlan.shard(runs, sh[0], sh[1]);
        Path out = output != null ? output : spec.output() != null ? spec.output()
                : Path.of("runs", "sweeps", file.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
        System.out.printf("sweep %s: %d runs, %d on shard %d/%d, in %s%n", file, runs.size(), mine.size(), sh[0], sh[1], out);
        if (dryRun) {
            for (int i = 0; i < runs.size(); i++) {
                SweepRun r = runs.get(i);
                System.out.printf("  [shard %d] %-40s %s%s%n", i % sh[1], r.name(), r.settings(),
                        r.teacher() == null ? "" : "  teacher " + r.teacher());
            }
            return 0;
        }
        EngineSetup.configure(threads);
        // the same shard launched twice would train its runs twice: the second launch is refused
        try (DirectoryLock shardLock = DirectoryLock.acquire(out, ".shard-" + sh[0] + "-of-" + sh[1] + ".lock",
                "spin sweep shard " + sh[0] + "/" + sh[1])) {
            return runShard(runs, mine, base, out, sh);
        }
    }

    private int runShard(List<SweepRun> runs, List<SweepRun> mine, SpinConfig base, Path out, int[] sh)
            throws InterruptedException {
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
                System.out.println(label + ": done before, skipped");
                skipped++;
                continue;
            }
            long start = System.nanoTime();
            SpinConfig cfg = configOf(base, run.settings()).with("OUTPUT_DIR", dir.toString()).with("TRAIN.AUTO_RESUME", true);
            DirectoryLock runLock;
            try {
                // held from the first write of result.json to the last; the trainer takes it again
                runLock = DirectoryLock.acquire(dir, RunDirectory.LOCK, "spin sweep " + out);
            } catch (SpinException inUse) {
                System.out.println(label + ": " + inUse.getMessage() + "; left to it");
                busy++;
                continue;
            }
            try (runLock) {
                if (run.teacher() != null) {
                    Path teacherDir = out.resolve("runs").resolve(run.teacher());
                    awaitTeacher(run, teacherDir, SweepPlan.shardOf(runs, run.teacher(), sh[1]), label);
                    cfg = cfg.with("TRAIN.CHECKPOINT_FILE_PATH", Checkpoints.modelFile(teacherDir, "last").toString())
                            .with("TRAIN.CHECKPOINT_EPOCH_RESET", true);
                }
                ResultFile.write(dir, result(run, cfg, "running", null, null, start));
                boolean resumed = Files.exists(Checkpoints.modelFile(dir, "last")); // part done: no measure of its size
                OptionalDouble left = eta.secondsFor(Arrays.stream(work, i, work.length).filter(Double::isFinite).sum());
                System.out.println(label + ": training " + run.settings()
                        + (left.isPresent() ? "; " + (sh[1] > 1 ? "this shard" : "sweep") + ": about "
                                + SweepEta.format(left.getAsDouble()) + " left" : ""));
                long trainStart = System.nanoTime(); // after any wait for a teacher, which says nothing of speed
                CountDownLatch reported = new CountDownLatch(1);
                TrainingResult r = TrainCommand.train(cfg, label, true, reported);
                reported.countDown();
                if (r.stopped()) {
                    System.out.println(label + ": stopped; run the sweep again to resume it");
                    return 130;
                }
                ResultFile.write(dir, result(run, cfg, "done", null, r, start));
                System.out.println(label + ": done" + (r.finalEval() == null ? ""
                        : String.format(", test top-1 %.2f%%", 100 * r.finalEval().top1())));
                if (!resumed) {
                    eta.observe(work[i], (System.nanoTime() - trainStart) / 1e9);
                }
                done++;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                String msg = e instanceof SpinException ? e.getMessage() : e.toString();
                System.out.println(label + ": failed: " + msg);
                try {
                    ResultFile.write(dir, result(run, cfg, "failed", msg, null, start));
                } catch (Exception writeFailed) {
                    System.out.println(label + ": could not record the failure: " + writeFailed);
                }
                failed++;
            }
        }
        System.out.printf("sweep shard %d/%d: %d trained, %d failed, %d done before%s; report: spin report %s --output %s%n",
                sh[0], sh[1], done, failed, skipped, busy > 0 ? ", " + busy + " in use by another writer" : "", out,
                out.resolve("report"));
        return failed > 0 || busy > 0 ? 3 : 0;
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
            System.out.printf("%s: waiting for teacher %s (shard %d, status %s)%n", label, run.teacher(), owner,
                    status == null ? "not started" : status);
            Thread.sleep(30_000);
        }
    }

    private static SpinConfig base(SweepSpec spec) {
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
            return (double) Models.cost(cfg, DataSources.imageSize(cfg)).totalMacs() * cfg.getInt("SOLVER.MAX_EPOCH");
        } catch (RuntimeException badModel) {
            return Double.NaN; // the run will fail on it and say why
        }
    }

    private static Map<String, Object> result(SweepRun run, SpinConfig cfg, String status, String error,
                                              TrainingResult r, long start) {
        int size = DataSources.imageSize(cfg);
        ModelCost cost;
        try {
            cost = Models.cost(cfg, size);
        } catch (SpinException badModel) {
            cost = null; // the run failed on it; its error says why
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", run.name());
        m.put("status", status);
        m.put("error", error);
        m.put("settings", run.settings());
        m.put("config", cfg.asMap());
        m.put("arch", cfg.getString("MODEL.ARCH"));
        m.put("shared", cost == null ? null : cost.uniqueParams() < cost.unsharedParams());
        m.put("fusion", run.teacher() != null);
        m.put("teacher", run.teacher());
        m.put("unique_params", cost == null ? null : cost.uniqueParams());
        m.put("unshared_params", cost == null ? null : cost.unsharedParams());
        m.put("macs", cost == null ? null : cost.totalMacs());
        m.put("image_size", size);
        m.put("top1", r == null || r.finalEval() == null ? null : r.finalEval().top1());
        m.put("top5", r == null || r.finalEval() == null ? null : r.finalEval().top5());
        m.put("best_top1", r == null || Double.isNaN(r.bestTop1()) ? null : r.bestTop1());
        m.put("epochs", r == null ? null : r.epochsDone());
        m.put("wall_seconds", (System.nanoTime() - start) / 1e9);
        return m;
    }
}
