package org.spin.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.spin.SpinException;
import org.spin.runtime.EngineSetup;
import org.spin.sweep.SlurmScript;
import org.spin.sweep.SweepPlan;
import org.spin.sweep.SweepRun;
import org.spin.sweep.SweepSpec;
import org.spin.workflow.StopSignal;
import org.spin.workflow.Sweep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sweep", description = "Train every run of a sweep file (grids and points over config keys); resumable and shardable.")
final class SweepCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SWEEP.yaml", description = "The sweep file (see configs/sweeps/).")
    Path file;

    @Option(names = "--output", paramLabel = "DIR", description = "Sweep directory (default: the file's output, or runs/sweeps/NAME).")
    Path output;

    @Option(names = "--shard", paramLabel = "i/n|auto", description = "Run only shard i of n (0-based); auto: the Slurm"
            + " array task's (the default inside one: SLURM_ARRAY_TASK_ID is set).")
    String shard;

    @Option(names = "--claim", description = "Work as one of any number of workers sharing the output folder (on any"
            + " machines): take the next run nobody has claimed, until every run has ended.")
    boolean claim;

    @Option(names = "--workers", paramLabel = "N", description = "Start N claiming workers here (processes, threads"
            + " split between them) and wait for them all.")
    Integer workers;

    @Option(names = "--heartbeat-seconds", paramLabel = "S", description = "How often a worker renews its claim (default 30).")
    int heartbeatSeconds = 30;

    @Option(names = "--stale-seconds", paramLabel = "S", description = "A claim not renewed for this long is a dead"
            + " worker's and is taken over (default 180).")
    int staleSeconds = 180;

    @Option(names = "--emit-sbatch", description = "Print the sbatch script that runs this sweep as a Slurm job array"
            + " (deploy/slurm/sweep.sbatch filled in), then exit.")
    boolean emitSbatch;

    @Option(names = "--tasks", paramLabel = "T", description = "With --emit-sbatch: array tasks, one shard each"
            + " (default: one per run).")
    Integer tasks;

    @Option(names = "--cpus-per-task", paramLabel = "C", description = "With --emit-sbatch: CPUs per task (default 2).")
    int cpusPerTask = 2;

    @Option(names = "--mem", paramLabel = "SIZE", description = "With --emit-sbatch: memory per task (default 8G).")
    String mem = "8G";

    @Option(names = "--time", paramLabel = "LIMIT", description = "With --emit-sbatch: time limit per task"
            + " (default 1-00:00:00).")
    String time = "1-00:00:00";

    @Option(names = "--dry-run", description = "List the runs (and their shards) without training.")
    boolean dryRun;

    @Option(names = "--wait-minutes", paramLabel = "M", description = "How long a fusion run waits for a teacher another shard owns (default 360).")
    int waitMinutes = 360;

    @Option(names = "--threads", paramLabel = "N", description = "Engine intra-op threads (default: what this process may use: OMP_NUM_THREADS, SLURM_CPUS_PER_TASK, else its CPU affinity and quota).")
    int threads;

    @Override
    public Integer call() throws InterruptedException {
        SweepSpec spec = SweepSpec.read(file);
        Path out = output != null ? output : Sweep.defaultOutput(file, spec);
        if (emitSbatch) {
            int runCount = new Sweep(spec, out, 0, 1).runs().size();
            int t = tasks == null ? runCount : tasks;
            if (t > runCount) {
                throw new SpinException("--tasks " + t + " is more than the sweep's " + runCount + " runs; a task without"
                        + " runs would idle");
            }
            String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            System.out.print(new SlurmScript(name, file, out, Path.of(System.getenv().getOrDefault("SPIN_HOME", "")).toAbsolutePath(), t, cpusPerTask, mem, time)
                    .render());
            return 0;
        }
        if (workers != null) {
            return startWorkers(spec, out);
        }
        if (claim) {
            return runClaiming(spec, out);
        }
        String given = shard != null ? shard : System.getenv("SLURM_ARRAY_TASK_ID") != null ? "auto" : "0/1";
        int[] sh = given.equals("auto") ? SweepPlan.slurmShard(System.getenv()) : SweepPlan.parseShard(given);
        Sweep sweep = new Sweep(spec, out, sh[0], sh[1]).waitMinutes(waitMinutes)
                .log(System.out::println)
                .progress(TrainCommand::progress)
                .beforeEachRun(DataSetSetup::ensure);
        List<SweepRun> runs = sweep.runs();
        System.out.printf("sweep %s: %d runs, %d on shard %d/%d, in %s%n", file, runs.size(), sweep.mine().size(), sh[0],
                sh[1], out);
        if (dryRun) {
            for (int i = 0; i < runs.size(); i++) {
                SweepRun r = runs.get(i);
                System.out.printf("  [shard %d] %-40s %s%s%n", i % sh[1], r.name(), r.settings(),
                        r.teacher() == null ? "" : "  teacher " + r.teacher());
            }
            return 0;
        }
        EngineSetup.configure(threads);
        StopSignal stop = new StopSignal();
        return CtrlC.guard(stop, () -> {
            try {
                return sweep.run(stop);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SpinException("sweep: interrupted");
            }
        }, o -> {
            if (o.stopped()) {
                return 130;
            }
            System.out.printf("sweep shard %d/%d: %d trained, %d failed, %d done before%s; report: spin report %s --output %s%n",
                    sh[0], sh[1], o.trained(), o.failed(), o.doneBefore(),
                    o.busy() > 0 ? ", " + o.busy() + " in use by another writer" : "", out, out.resolve("report"));
            return o.failed() > 0 || o.busy() > 0 ? 3 : 0;
        });
    }

    /** This process as one claiming worker. */
    private int runClaiming(SweepSpec spec, Path out) {
        if (shard != null) {
            throw new SpinException("--claim takes runs as they come; it cannot be combined with --shard");
        }
        if (heartbeatSeconds < 1 || staleSeconds < 3 * heartbeatSeconds) {
            throw new SpinException("--stale-seconds " + staleSeconds + " must be at least 3 x --heartbeat-seconds "
                    + heartbeatSeconds + " (and that at least 1), or live workers would be taken for dead");
        }
        String worker = host() + ":" + ProcessHandle.current().pid();
        Sweep sweep = new Sweep(spec, out, 0, 1).waitMinutes(waitMinutes).log(System.out::println)
                .progress(TrainCommand::progress).beforeEachRun(DataSetSetup::ensure);
        System.out.printf("sweep %s: %d runs in %s; worker %s claims them as they come%n", file, sweep.runs().size(), out,
                worker);
        EngineSetup.configure(threads);
        StopSignal stop = new StopSignal();
        return CtrlC.guard(stop, () -> {
            try {
                return sweep.claim(worker, Duration.ofSeconds(heartbeatSeconds), Duration.ofSeconds(staleSeconds),
                        Duration.ofSeconds(2), stop); // an idle worker looks again soon: a run may end any moment
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SpinException("sweep: interrupted");
            }
        }, o -> {
            if (o.stopped()) {
                return 130;
            }
            System.out.printf("worker %s: %d trained, %d failed; every run of the sweep has ended; report: spin report %s"
                    + " --output %s%n", worker, o.trained(), o.failed(), out, out.resolve("report"));
            return o.failed() > 0 ? 3 : 0;
        });
    }

    /**
     * N claiming workers: this process and N − 1 child processes (the same JVM, without its
     * pre-touched heap), each with its share of the threads; the children's lines come through with
     * a prefix; the exit status is the worst.
     */
    private int startWorkers(SweepSpec spec, Path out) {
        if (workers < 1 || shard != null || claim) {
            throw new SpinException("--workers " + workers + " must be at least 1 and stands alone (no --shard, no --claim)");
        }
        int budget = threads > 0 ? threads : org.spin.runtime.ThreadBudget.detect().threads();
        int each = Math.max(1, budget / workers);
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> jvm = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.equals("-XX:+AlwaysPreTouch") && !a.startsWith("-Xms")).toList();
        List<Process> children = new ArrayList<>();
        List<Thread> pumps = new ArrayList<>();
        try {
            for (int w = 1; w < workers; w++) {
                List<String> cmd = new ArrayList<>(List.of(javaBin));
                cmd.addAll(jvm);
                cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "sweep",
                        file.toString(), "--output", out.toString(), "--claim", "--threads", Integer.toString(each),
                        "--heartbeat-seconds", Integer.toString(heartbeatSeconds), "--stale-seconds",
                        Integer.toString(staleSeconds), "--wait-minutes", Integer.toString(waitMinutes)));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                children.add(p);
                String prefix = "worker " + w + ": ";
                Thread pump = new Thread(() -> {
                    try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                            java.nio.charset.StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) {
                            System.out.println(prefix + line);
                        }
                    } catch (java.io.IOException e) {
                        // the child is gone; its exit status says how
                    }
                });
                pump.start();
                pumps.add(pump);
            }
            threads = each;
            int worst = runClaiming(spec, out); // this process is worker 0
            for (int w = 0; w < children.size(); w++) {
                worst = Math.max(worst, children.get(w).waitFor());
                pumps.get(w).join();
            }
            System.out.printf("sweep %s: %d workers ended (exit status %d)%n", file, workers, worst);
            return worst;
        } catch (java.io.IOException e) {
            throw new SpinException("--workers: cannot start a worker (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpinException("sweep: interrupted");
        } finally {
            children.forEach(p -> {
                if (p.isAlive()) {
                    p.destroy(); // SIGTERM: each writes its checkpoint and stops
                }
            });
        }
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "host";
        }
    }
}
