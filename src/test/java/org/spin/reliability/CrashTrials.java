package org.spin.reliability;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.spin.io.HostTensor;
import org.spin.io.SafeTensors;
import org.spin.io.SafeTensorsFile;
import org.spin.sweep.TinySweep;

/**
 * Crash trials: a small training run (or sweep) is killed with SIGKILL at a chosen moment, started
 * again until it finishes, and its end compared with an uninterrupted run's: final weights, best
 * weights, optimizer state and metrics (all but the timings) must be bit for bit the same.
 *
 * <p>Each trial kills at one of four kinds of moment, in turn: a random time; exactly between two
 * steps (the process pauses at a marked step, {@code CrashTrialMarker}); inside a step (a random
 * fraction of a step after the mark); and in the middle of a checkpoint write (writes are slowed
 * with {@code -Dspin.debug.slowWriteMillis}, and the kill comes when a temporary file appears).
 * Children are separate JVMs on this JVM's class path, one thread each (identical arithmetic).
 */
public final class CrashTrials {

    public enum Kind { RANDOM, BETWEEN_STEPS, MID_STEP, MID_CHECKPOINT }

    /** One trial's outcome: where it was killed, and the first difference from the reference, if any. */
    public record Trial(int index, Kind kind, String killedAt, String difference) {
        public boolean identical() {
            return difference == null;
        }
    }

    private static final int EPOCHS = 3;
    /** The synthetic set's 4,096 images in batches of 64, a checkpoint every 10 steps, one loader thread. */
    private static final List<String> SYNTHETIC = List.of("TRAIN.DATASET", "synthetic", "DATA.INPUT_CHANNEL_NUM", "[1]",
            "TRAIN.BATCH_SIZE", "64", "TRAIN.CHECKPOINT_PERIOD_STEPS", "10", "DATA_LOADER.NUM_WORKERS", "1");

    /** ConvMixer-16/4 shared at rate 2, dropout on (its draws must replay too), on the trials' data. */
    List<String> trainArgs(Path out) {
        List<String> args = new ArrayList<>(List.of("train", "--output", out.toString(), "--epochs", String.valueOf(EPOCHS),
                "--share-rate", "2", "--threads", "1", "CONVMIXER.CHANNEL", "16", "CONVMIXER.DEPTH", "4",
                "CONVMIXER.PATCH_KERNEL", "4", "CONVMIXER.PATCH_STRIDE", "4", "CONVMIXER.KERNEL", "5",
                "MODEL.DROPOUT_RATE", "0.2"));
        args.addAll(data);
        return args;
    }

    private final Path work;
    private final Random random;
    private final List<String> data;
    private final int stepsPerEpoch;
    private final List<String> log = new ArrayList<>();

    public CrashTrials(Path work, long seed) {
        this(work, seed, SYNTHETIC, 4096 / 64);
    }

    /**
     * Trials on other data: {@code data} are the config overrides that name it (and its batch size
     * and checkpoint period), {@code stepsPerEpoch} its training steps per epoch.
     */
    public CrashTrials(Path work, long seed, List<String> data, int stepsPerEpoch) {
        this.work = work;
        this.random = new Random(seed);
        this.data = List.copyOf(data);
        this.stepsPerEpoch = stepsPerEpoch;
    }

    /** What the trials printed, a line per event. */
    public List<String> log() {
        return log;
    }

    // ---- training runs ----

    /** Runs {@code trials} trials of {@code spin train} against one uninterrupted reference run. */
    public List<Trial> train(int trials) throws Exception {
        Path reference = work.resolve("reference");
        long t0 = System.nanoTime();
        Child ref = Child.start(trainArgs(reference), List.of(), work.resolve("reference.log"));
        ref.awaitExit(600);
        double seconds = (System.nanoTime() - t0) / 1e9;
        say("reference run: " + String.format("%.1f s", seconds));
        List<Trial> out = new ArrayList<>();
        for (int i = 0; i < trials; i++) {
            Kind kind = Kind.values()[i % Kind.values().length];
            Path dir = work.resolve("trial-" + i);
            String killedAt = killOnce(kind, trainArgs(dir), dir, seconds, i);
            Child again = Child.start(trainArgs(dir), List.of(), work.resolve("trial-" + i + ".resume.log"));
            again.awaitExit(600);
            String difference = compareRuns(reference, dir);
            out.add(new Trial(i, kind, killedAt, difference));
            say(String.format("trial %d: %s, killed %s: %s", i, kind, killedAt,
                    difference == null ? "identical" : "DIFFERENT: " + difference));
        }
        return out;
    }

    /** Starts a run, kills it at a moment of {@code kind}; returns where. */
    private String killOnce(Kind kind, List<String> args, Path dir, double runSeconds, int i) throws Exception {
        int totalSteps = stepsPerEpoch * EPOCHS;
        Path log = work.resolve("trial-" + i + ".killed.log");
        switch (kind) {
            case RANDOM -> {
                Child c = Child.start(args, List.of(), log);
                long delay = (long) (1000 * runSeconds * random.nextDouble());
                Thread.sleep(delay);
                return c.kill() ? "after " + delay + " ms" : "never (it had finished)";
            }
            case BETWEEN_STEPS, MID_STEP -> {
                long step = 1 + random.nextInt(totalSteps - 2);
                boolean pause = kind == Kind.BETWEEN_STEPS;
                Child c = Child.start(args, List.of("-Dspin.debug.markStep=" + step, "-Dspin.debug.pauseAtMark=" + pause), log);
                c.awaitLine("crash-trial: step done " + step, 600);
                if (!pause) {
                    Thread.sleep(random.nextInt(8)); // a few ms: inside the next step
                }
                c.kill();
                return (pause ? "between steps " : "just after step ") + step;
            }
            case MID_CHECKPOINT -> {
                Child c = Child.start(args, List.of("-Dspin.debug.slowWriteMillis=300"), log);
                int skip = random.nextInt(6); // which temporary file: not always the first checkpoint's
                String file = awaitTemporaryFile(dir, c, skip);
                c.kill();
                return "while writing " + file;
            }
            default -> throw new IllegalStateException();
        }
    }

    /** Waits until the run has begun its (skip+1)-th atomic write; returns that file's name. */
    private static String awaitTemporaryFile(Path dir, Child c, int skip) throws Exception {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline && c.alive()) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        String n = f.getFileName().toString();
                        if (n.endsWith(".tmp") && !seen.contains(n)) {
                            seen.add(n);
                            if (seen.size() > skip) {
                                return n;
                            }
                        }
                    }
                } catch (IOException listRace) {
                    // a file vanished while listing: look again
                }
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("no checkpoint write seen in " + dir);
    }

    /** Null when {@code dir} ended exactly as {@code reference}, else the first difference. */
    static String compareRuns(Path reference, Path dir) throws IOException {
        for (String name : List.of("last.safetensors", "best.safetensors", "last_ema.safetensors", "best_ema.safetensors")) {
            if (name.contains("_ema") && !Files.exists(reference.resolve(name))) {
                continue; // a run without MODEL_EMA
            }
            String d = compareTensors(reference.resolve(name), dir.resolve(name));
            if (d != null) {
                return d;
            }
        }
        SafeTensorsFile lastRef = SafeTensors.read(reference.resolve("last.safetensors"));
        SafeTensorsFile last = SafeTensors.read(dir.resolve("last.safetensors"));
        for (String key : List.of("epoch", "step", "best_top1", "optimizer_file", "skipped_updates")) {
            if (!String.valueOf(lastRef.metadata().get(key)).equals(String.valueOf(last.metadata().get(key)))) {
                return "last.safetensors metadata " + key + ": " + last.metadata().get(key) + " vs "
                        + lastRef.metadata().get(key);
            }
        }
        String optimizer = lastRef.metadata().get("optimizer_file");
        String d = compareTensors(reference.resolve(optimizer), dir.resolve(optimizer));
        if (d != null) {
            return d;
        }
        String steps = SafeTensors.read(dir.resolve(optimizer)).metadata().get("step_count");
        if (!steps.equals(SafeTensors.read(reference.resolve(optimizer)).metadata().get("step_count"))) {
            return optimizer + ": step_count " + steps;
        }
        List<String> a = metrics(reference);
        List<String> b = metrics(dir);
        if (!a.equals(b)) {
            return "metrics.jsonl: " + b + " vs " + a;
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> left = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
            if (!left.isEmpty()) {
                return "temporary files left: " + left;
            }
        }
        return null;
    }

    private static String compareTensors(Path want, Path got) {
        if (!Files.exists(got)) {
            return got.getFileName() + " missing";
        }
        Map<String, HostTensor> a = SafeTensors.read(want).tensors();
        Map<String, HostTensor> b = SafeTensors.read(got).tensors();
        if (!a.keySet().equals(b.keySet())) {
            return got.getFileName() + ": keys " + b.keySet() + " vs " + a.keySet();
        }
        for (String k : a.keySet()) {
            float[] x = a.get(k).toFloats();
            float[] y = b.get(k).toFloats();
            for (int i = 0; i < x.length; i++) {
                if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
                    return got.getFileName() + " " + k + "[" + i + "]: " + y[i] + " vs " + x[i];
                }
            }
        }
        return null;
    }

    /** metrics.jsonl without the timings (img_per_s, seconds), which no two runs share. */
    private static List<String> metrics(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("metrics.jsonl"), StandardCharsets.UTF_8)) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            o.remove("img_per_s");
            o.remove("seconds");
            out.add(o.toString());
        }
        return out;
    }

    // ---- sweeps ----

    /** A sweep of three tiny runs, a fusion run among them (it waits for its teacher). */
    static String sweepFile() {
        return TinySweep.longer(2, 16, 5);
    }

    private static final List<String> SWEEP_RUNS = List.of("r1", "r2_fuse-mean", "kernel-5");

    /**
     * Sweep trials: each kills a sweep once at a random time, runs it again to the end, and checks
     * that every run finished exactly once (one "done" line over both launches) and ended as in an
     * uninterrupted sweep.
     */
    public List<Trial> sweep(int trials) throws Exception {
        Path file = work.resolve("sweep.yaml");
        Files.writeString(file, sweepFile());
        Path reference = work.resolve("sweep-reference");
        long t0 = System.nanoTime();
        Child.start(sweepArgs(file, reference), List.of(), work.resolve("sweep-reference.log")).awaitExit(900);
        double seconds = (System.nanoTime() - t0) / 1e9;
        say("reference sweep: " + String.format("%.1f s", seconds));
        List<Trial> out = new ArrayList<>();
        for (int i = 0; i < trials; i++) {
            Path dir = work.resolve("sweep-trial-" + i);
            Path killedLog = work.resolve("sweep-trial-" + i + ".killed.log");
            Child c = Child.start(sweepArgs(file, dir), List.of(), killedLog);
            long delay = (long) (1000 * seconds * random.nextDouble());
            Thread.sleep(delay);
            String killedAt = c.kill() ? "after " + delay + " ms" : "never (it had finished)";
            Path resumedLog = work.resolve("sweep-trial-" + i + ".resume.log");
            Child.start(sweepArgs(file, dir), List.of(), resumedLog).awaitExit(900);
            String difference = null;
            String outputs = Files.readString(killedLog) + Files.readString(resumedLog);
            for (String run : SWEEP_RUNS) {
                long finished = outputs.lines().filter(l -> l.matches("\\[\\d+/\\d+\\] " + run + ": done(, test top-1 .*)?")).count();
                String status = JsonParser.parseString(Files.readString(dir.resolve("runs").resolve(run).resolve("result.json")))
                        .getAsJsonObject().get("status").getAsString();
                if (finished != 1 || !status.equals("done")) {
                    difference = run + " finished " + finished + " times, status " + status;
                    break;
                }
                difference = compareRuns(reference.resolve("runs").resolve(run), dir.resolve("runs").resolve(run));
                if (difference != null) {
                    difference = run + ": " + difference;
                    break;
                }
            }
            out.add(new Trial(i, Kind.RANDOM, killedAt, difference));
            say(String.format("sweep trial %d: killed %s: %s", i, killedAt,
                    difference == null ? "every run done once, identical" : "DIFFERENT: " + difference));
        }
        return out;
    }

    private static List<String> sweepArgs(Path file, Path out) {
        return List.of("sweep", file.toString(), "--output", out.toString(), "--threads", "1");
    }

    private void say(String line) {
        log.add(line);
        System.out.println(line);
    }

    /** A child JVM running {@code spin}; its output goes to a log file. */
    static final class Child {
        private final Process process;
        private final Path log;

        private Child(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        static Child start(List<String> args, List<String> props, Path log) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-Dai.djl.offline=true", "-XX:+UseSerialGC"));
            cmd.addAll(props);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.spin.cli.Main"));
            cmd.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("OMP_NUM_THREADS", "1");
            return new Child(pb.start(), log);
        }

        boolean alive() {
            return process.isAlive();
        }

        /** SIGKILL (destroyForcibly on Unix); false when it had already exited. */
        boolean kill() throws InterruptedException {
            boolean wasAlive = process.isAlive();
            process.destroyForcibly();
            process.waitFor();
            return wasAlive;
        }

        void awaitLine(String line, int seconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                if (Files.exists(log) && Files.readString(log).contains(line)) {
                    return;
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException("the run ended before '" + line + "': " + tail());
                }
                Thread.sleep(2);
            }
            throw new IllegalStateException("no '" + line + "' within " + seconds + " s: " + tail());
        }

        void awaitExit(int seconds) throws Exception {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("still running after " + seconds + " s: " + tail());
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("exit " + process.exitValue() + ": " + tail());
            }
        }

        private String tail() throws IOException {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        }
    }

    /** {@code bench/crash-resume}: {@code [TRIALS] [SWEEP_TRIALS] [SEED]}, prints the tallies. */
    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int sweepTrials = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : System.nanoTime();
        Path work = Files.createTempDirectory("spin-crash-trials");
        System.out.println("crash trials in " + work + ", seed " + seed);
        CrashTrials t = new CrashTrials(work, seed);
        List<Trial> runs = t.train(trials);
        List<Trial> sweeps = t.sweep(sweepTrials);
        long same = runs.stream().filter(Trial::identical).count();
        long sweepSame = sweeps.stream().filter(Trial::identical).count();
        System.out.println();
        System.out.println("| kind | trials | identical |");
        System.out.println("|---|---:|---:|");
        for (Kind k : Kind.values()) {
            System.out.printf("| %s | %d | %d |%n", k.name().toLowerCase().replace('_', ' '),
                    runs.stream().filter(r -> r.kind() == k).count(),
                    runs.stream().filter(r -> r.kind() == k && r.identical()).count());
        }
        System.out.printf("crash trials %d/%d identical%n", same, runs.size());
        System.out.printf("sweep crash trials %d/%d identical, every run done once%n", sweepSame, sweeps.size());
        System.exit(same == runs.size() && sweepSame == sweeps.size() ? 0 : 1);
    }
}
