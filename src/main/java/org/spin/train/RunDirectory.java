package org.spin.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.spin.io.AtomicFiles;
import org.spin.io.DirectoryLock;

/**
 * A run's folder ({@code OUTPUT_DIR}): the effective config, the sharing plan, a manifest that
 * records provenance (seed, data set, git revision, versions), metrics and checkpoints. Open, it
 * holds the folder's lock: one writer per run directory.
 */
public final class RunDirectory implements AutoCloseable {

    /** The lock file in a run directory. */
    public static final String LOCK = ".spin.lock";

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();

    private final Path dir;
    private final DirectoryLock lock;

    /**
     * Creates the folder if needed and takes its lock; temporary files a killed writer left behind
     * are removed (they are never the only copy of anything: atomic writes rename them into place).
     *
     * @throws org.spin.SpinException naming the holder when another process trains into {@code dir}
     */
    public RunDirectory(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new org.spin.SpinException(dir + ": cannot create the run directory (" + e.getMessage() + ")");
        }
        this.lock = DirectoryLock.acquire(dir, LOCK, "spin training");
        AtomicFiles.deleteLeftovers(dir);
    }

    /** The note of a writer that was killed while it held this folder, if one was. */
    public java.util.Optional<String> takenOverFrom() {
        return lock.takenOverFrom();
    }

    @Override
    public void close() {
        lock.close();
    }

    public Path path() {
        return dir;
    }

    /**
     * Writes the config, plan and manifest. A resumed run keeps the manifest's first {@code started}
     * and adds the time to {@code resumed}, so the manifest tells when the run began and how often
     * it was interrupted.
     */
    public void writeHeader(RunRecord record, String plan, long uniqueParams, boolean resumed) {
        write("config.yaml", record.configYaml());
        write("plan.txt", plan + "\n");
        String now = Instant.now().toString();
        Map<String, Object> earlier = resumed ? readManifest() : Map.of();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("started", earlier.getOrDefault("started", now));
        if (resumed) {
            List<Object> times = new ArrayList<>(earlier.get("resumed") instanceof List<?> l ? l : List.of());
            times.add(now);
            m.put("resumed", times);
        }
        m.put("seed", record.seed());
        m.put("dataset", record.dataset());
        m.put("plan", plan);
        m.put("unique_params", uniqueParams);
        m.put("git_revision", gitRevision());
        m.put("java", System.getProperty("java.version"));
        m.put("djl", ai.djl.engine.Engine.getDjlVersion());
        m.put("engine", ai.djl.engine.Engine.getInstance().getEngineName() + " "
                + ai.djl.engine.Engine.getInstance().getVersion());
        write("manifest.json", GSON.toJson(m) + "\n");
    }

    /** The manifest an earlier attempt wrote, or an empty map if there is none or it is unreadable. */
    private Map<String, Object> readManifest() {
        Path file = dir.resolve("manifest.json");
        try {
            Map<String, Object> m = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8),
                    new com.google.gson.reflect.TypeToken<Map<String, Object>>() {}.getType());
            return m == null ? Map.of() : m;
        } catch (IOException | RuntimeException e) {
            return Map.of(); // provenance only: a lost start time must not stop a resume
        }
    }

    /** Keeps the rows of the first {@code epochs} epochs (all of a fresh run's are dropped). */
    public void keepMetricsUpTo(int epochs) {
        Path file = dir.resolve("metrics.jsonl");
        if (!Files.exists(file)) {
            return;
        }
        try {
            StringBuilder kept = new StringBuilder();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && GSON.fromJson(line, com.google.gson.JsonObject.class).get("epoch").getAsInt() <= epochs) {
                    kept.append(line).append('\n');
                }
            }
            write("metrics.jsonl", kept.toString());
        } catch (IOException | RuntimeException ex) {
            throw new org.spin.SpinException(file + ": unreadable metrics from an earlier run (" + ex.getMessage() + ")");
        }
    }

    public void appendMetrics(EpochMetrics e) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", e.epoch() + 1);
        row.put("train_loss", e.trainLoss());
        row.put("lr", e.lr());
        row.put("img_per_s", e.imagesPerSecond());
        row.put("seconds", e.seconds());
        row.put("unreadable_images", e.unreadableImages());
        if (e.eval() != null) {
            row.put("test_top1", e.eval().top1());
            row.put("test_top5", e.eval().top5());
            row.put("test_loss", e.eval().loss());
        }
        if (e.emaEval() != null) {
            row.put("test_top1_ema", e.emaEval().top1());
            row.put("test_top5_ema", e.emaEval().top5());
            row.put("test_loss_ema", e.emaEval().loss());
        }
        // rewritten whole and atomically, not appended: a kill mid-append would leave a torn last line
        Path file = dir.resolve("metrics.jsonl");
        try {
            String before = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            write("metrics.jsonl", before + GSON.toJson(row) + "\n");
        } catch (IOException ex) {
            throw new org.spin.SpinException(file + ": cannot read the metrics written so far (" + ex.getMessage() + ")");
        }
    }

    private void write(String name, String text) {
        AtomicFiles.write(dir.resolve(name), out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    static String gitRevision() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return out;
            }
        } catch (IOException e) {
            // no git: fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }
}
