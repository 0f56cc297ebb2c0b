package org.spin.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.spin.config.SpinConfig;
import org.spin.data.BatchLoader;
import org.spin.data.DataConfig;
import org.spin.data.EpochIterator;
import org.spin.data.HostBatch;
import org.spin.data.ImageSet;
import org.spin.data.Loader;
import org.spin.data.SyntheticImages;
import org.spin.deploy.OnnxClassifier;
import org.spin.deploy.OnnxExporter;
import org.spin.model.Models;
import org.spin.model.SpinModel;
import org.spin.predict.ImageInput;
import org.spin.runtime.Autograd;
import org.spin.runtime.EngineSetup;
import org.spin.runtime.OpProfile;
import org.spin.train.InputBuffer;
import org.spin.train.Optimizer;
import org.spin.train.Recipe;
import org.spin.train.TrainStep;
import org.spin.train.Trainer;
import org.spin.workflow.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Training-step speed and memory on ConvMixer-256/8, K9, P4 at 32 px, batch 64 (data in memory),
 * with process RSS at step 100 and at the last step: with a fixed heap, a flat RSS means no
 * native leak.
 */
@Command(name = "bench", description = "Median step time, img/s and RSS of ConvMixer-256/8 K9 P4 @32px, or of --model PRESET (train or infer).")
final class BenchCommand implements Callable<Integer> {

    @Mixin
    ModelOptions opts;

    @Option(names = "--steps", defaultValue = "600", description = "Steps in all (default 600).")
    int steps;

    @Option(names = "--warmup", defaultValue = "20", description = "Untimed steps first (default 20).")
    int warmup;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default 64).")
    int batch;

    @Option(names = "--mode", defaultValue = "train", description = "train (a full step), infer (eval-mode forward) or"
            + " data (the config's training loader alone: img/s and RSS).")
    String mode;

    @Option(names = "--soak", paramLabel = "STEPS", description = "A soak test: STEPS training steps (e.g. 10000),"
            + " RSS printed every 1,000 and its growth from step 1,000 to the end (target: under 2%%).")
    Integer soak;

    @Option(names = "--precision", defaultValue = "fp32", description = "fp32, or bf16 (refused: DJL 0.36's JNI has no"
            + " bfloat16 type; README, GPU).")
    String precision;

    @Option(names = "--engine", defaultValue = "pytorch", description = "pytorch (default), or onnxruntime with"
            + " --mode infer: the same model exported to ONNX (each shared slot once) and run by ONNX Runtime.")
    String engine;

    @Option(names = "--profile", paramLabel = "TRACE", description = "Profile the timed steps with the engine's"
            + " operator profiler: writes a Chrome trace to TRACE and prints self time per operator.")
    Path profile;

    static SpinConfig base() {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("CONVMIXER.CHANNEL", 256);
        b.put("CONVMIXER.DEPTH", 8);
        b.put("CONVMIXER.PATCH_KERNEL", 4);
        b.put("CONVMIXER.PATCH_STRIDE", 4);
        b.put("CONVMIXER.KERNEL", 9);
        b.put("CONVMIXER.ACT_FUNC", "GELU");
        b.put("MODEL.NUM_CLASSES", 10);
        b.put("SOLVER.CLIP_GRAD_L2NORM", 1.0);
        return ModelOptions.defaultsWith(b);
    }

    @Override
    public Integer call() {
        if (opts.threads == 0) {
            opts.threads = 2;
        }
        if (soak != null) {
            if (soak < 2000) {
                throw new org.spin.SpinException("bench: --soak " + soak + " is too short; expected at least 2000 steps"
                        + " (RSS is compared from step 1,000 on)");
            }
            steps = soak;
        }
        if (!precision.equals("fp32")) {
            throw new org.spin.SpinException("bench: --precision " + precision + (precision.equals("bf16")
                    ? ": bf16 cannot be reached through DJL 0.36, whose JNI has no bfloat16 type (a cast ends the process;"
                    + " README, GPU); fp32 is what runs" : " is not known; valid: fp32, bf16"));
        }
        if (!mode.equals("train") && !mode.equals("infer") && !mode.equals("data")) {
            throw new org.spin.SpinException("bench: --mode " + mode + " is not known; valid: train, infer, data");
        }
        if (batch < 1 || steps < 1 || warmup < 0 || warmup >= steps) {
            throw new org.spin.SpinException("bench: need --batch >= 1 and 0 <= --warmup < --steps (got batch " + batch
                    + ", warmup " + warmup + ", steps " + steps + ")");
        }
        if (mode.equals("data")) {
            return dataBench(opts.resolve(ModelOptions.defaultsWith(Map.of()), Map.of()));
        }
        // training sleeps when idle, inference spins briefly: as the train and infer commands do
        boolean ort = engine.equalsIgnoreCase("onnxruntime");
        if (!ort && !engine.equalsIgnoreCase("pytorch")) {
            throw new org.spin.SpinException("bench: --engine " + engine + " is not known; valid: pytorch, onnxruntime");
        }
        if (ort && !mode.equals("infer")) {
            throw new org.spin.SpinException("bench: --engine onnxruntime runs inference only; add --mode infer");
        }
        if (ort && profile != null) {
            throw new org.spin.SpinException("bench: --profile records libtorch's operators; ONNX Runtime's are not in it");
        }
        opts.setUpEngine(mode.equals("infer") ? EngineSetup.Waiting.SHORT_SPIN : EngineSetup.Waiting.SLEEP);
        SpinConfig cfg = opts.resolve(base(), Map.of());
        int size = opts.model == null ? 32 : cfg.getInt("DATA.TRAIN_CROP_SIZE"); // a preset's own input side
        int channels = cfg.getIntList("DATA.INPUT_CHANNEL_NUM").get(0);
        Random rnd = new Random(0);
        float[] images = new float[batch * channels * size * size];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) rnd.nextGaussian();
        }
        int[] labels = rnd.ints(batch, 0, cfg.getInt("MODEL.NUM_CLASSES")).toArray();
        Shape shape = new Shape(batch, channels, size, size);
        try (Session wb = Session.running(cfg)) {
            wb.notice().ifPresent(System.err::println);
            SpinModel model = wb.build(size);
            System.out.printf("bench: %s @%dpx, batch %d, plan %s, %s %s, %s threads%n",
                    Models.architecture(cfg).describe(cfg), size, batch, model.plan(), Engine.getInstance().getEngineName(),
                    Engine.getInstance().getVersion(), System.getProperty("ai.djl.pytorch.num_threads", "default"));
            boolean train = mode.equals("train");
            Recipe recipe = Recipe.from(cfg);
            try (Optimizer opt = train ? Trainer.newOptimizer(recipe, model, wb.manager()) : null;
                 OnnxClassifier onnx = ort ? exported(model, cfg, channels, size) : null) {
                TrainStep step = train ? Trainer.newStep(recipe, model, wb.manager(), opt) : null;
                InputBuffer input = new InputBuffer();
                double[] times = new double[Math.max(0, steps - warmup)];
                long rss100 = -1;
                long rss1000 = -1;
                long lastLog = System.nanoTime();
                for (int s = 1; s <= steps; s++) {
                    if (profile != null && s == warmup + 1) {
                        OpProfile.start();
                    }
                    long t0 = System.nanoTime();
                    if (train) {
                        step.run(images, shape, labels, 1e-3);
                    } else if (onnx != null) {
                        onnx.logits(images, batch);
                    } else {
                        try (NDManager scope = wb.manager().newSubManager(); Autograd.Scope inference = Autograd.paused()) {
                            model.forward(input.wrap(scope, images, shape), false).toFloatArray();
                        }
                    }
                    long t1 = System.nanoTime();
                    if (s > warmup) {
                        times[s - warmup - 1] = (t1 - t0) / 1e6;
                    }
                    if (s == 100) {
                        rss100 = rssBytes();
                    }
                    if (soak != null && s % 1000 == 0) {
                        long rss = rssBytes();
                        rss1000 = s == 1000 ? rss : rss1000;
                        System.out.printf("soak: step %,d, RSS %.1f MiB (%+.2f%% since step 1,000), last step %.1f ms, %s%n",
                                s, rss / 1048576.0, 100.0 * (rss - rss1000) / rss1000, (t1 - t0) / 1e6, directBuffers());
                    }
                    if (t1 - lastLog > 10_000_000_000L) {
                        lastLog = t1;
                        System.err.printf("bench: step %d/%d, last %.1f ms%n", s, steps, (t1 - t0) / 1e6);
                    }
                }
                long rssEnd = rssBytes();
                if (profile != null) {
                    printProfile(profile, steps - warmup);
                }
                double median = median(times);
                System.out.printf("%s step: median %.1f ms over %d steps, %.1f img/s%n", mode, median, times.length,
                        batch * 1000 / median);
                if (train) {
                    // backward costs about twice the forward: a step is ~3 forward passes of 2·MACs FLOPs
                    double flops = 6.0 * Models.cost(cfg, size).totalMacs() * batch;
                    double achieved = flops / (median / 1000) / 1e9;
                    double peak = sgemmGflops(wb.manager());
                    System.out.printf("training: %.1f GFLOP/s = %.0f%% of this machine's SGEMM peak (%.1f GFLOP/s,"
                            + " 1024x1024 matMul through the engine)%n", achieved, 100 * achieved / peak, peak);
                    double loader = loaderImagesPerSecond(cfg, size);
                    System.out.printf("data loader: %.0f img/s (%.1fx the training step), batch %d, augmentation on%n",
                            loader, loader / (batch * 1000 / median), batch);
                }
                if (soak != null && rss1000 > 0) {
                    double growth = 100.0 * (rssEnd - rss1000) / rss1000;
                    System.out.printf("soak: RSS step 1,000 %.1f MiB -> step %,d %.1f MiB: %+.2f%% (%s the 2%% target)%n",
                            rss1000 / 1048576.0, steps, rssEnd / 1048576.0, growth, growth < 2 ? "under" : "OVER");
                }
                if (rss100 > 0) {
                    System.out.printf("RSS: step 100 %.1f MiB, step %d %.1f MiB (%+.1f%%)%n", rss100 / 1048576.0, steps,
                            rssEnd / 1048576.0, 100.0 * (rssEnd - rss100) / rss100);
                }
            }
        }
        return 0;
    }

    /** {@code model} exported to a temporary ONNX file and opened in ONNX Runtime with this bench's threads. */
    private OnnxClassifier exported(SpinModel model, SpinConfig cfg, int channels, int size) {
        try {
            Path file = Files.createTempFile("spin-bench", ".onnx");
            file.toFile().deleteOnExit();
            List<String> classes = new ArrayList<>();
            for (int i = 0; i < cfg.getInt("MODEL.NUM_CLASSES"); i++) {
                classes.add("class " + i);
            }
            OnnxExporter.Written w = OnnxExporter.write(model, cfg, new ImageInput(channels, size, List.of(0.5),
                    List.of(0.5)), classes, file);
            System.out.printf("bench: exported to ONNX, %,d bytes; ONNX Runtime %s, %d intra-op threads%n", w.fileBytes(),
                    ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion(), opts.threads);
            return OnnxClassifier.open(file, opts.threads);
        } catch (java.io.IOException e) {
            throw new org.spin.SpinException("bench: cannot create a temporary file: " + e.getMessage(), e);
        }
    }

    /**
     * The config's training loader alone, as a run would use it (for an image folder: read, decode,
     * augment, normalise on DATA_LOADER.NUM_WORKERS threads), for {@code --steps} batches over as
     * many epochs as that takes: img/s after the warm-up, and RSS as it goes. A flat RSS while more
     * images stream through than the heap holds shows the loader keeps only its index and queue.
     */
    private int dataBench(SpinConfig cfg) {
        DataConfig data = DataConfig.from(cfg.with("TRAIN.BATCH_SIZE", batch));
        Loader loader = data.loader(true);
        System.out.printf("bench: data %s%s, %,d training images, batch %d, %d worker(s), %dx%dx%d, heap %.0f MiB%n",
                data.dataset(), data.hasDataDir() ? " in " + data.dataDir() : "", loader.size(), batch, loader.workers(),
                loader.outputChannels(), loader.height(), loader.width(), Runtime.getRuntime().maxMemory() / 1048576.0);
        long images = 0;
        long timedFrom = 0;
        long rssStart = -1;
        long bytes = 0;
        int s = 0;
        for (int epoch = 0; s < steps; epoch++) {
            try (EpochIterator it = loader.epoch(epoch)) {
                while (it.hasNext() && s < steps) {
                    HostBatch b = it.next();
                    s++;
                    bytes += 4L * b.images().length;
                    if (s == warmup) {
                        timedFrom = System.nanoTime();
                        rssStart = rssBytes();
                    } else if (s > warmup) {
                        images += b.size();
                    }
                    if (s % 100 == 0) {
                        System.out.printf("data: batch %,d (epoch %d), %.0f MiB of tensors so far, RSS %.1f MiB%n", s,
                                epoch + 1, bytes / 1048576.0, rssBytes() / 1048576.0);
                    }
                }
            }
        }
        double secs = (System.nanoTime() - timedFrom) / 1e9;
        long rssEnd = rssBytes();
        System.out.printf("data: %.1f img/s over %,d images (%d worker(s), %.1f img/s per worker)%n", images / secs, images,
                loader.workers(), images / secs / loader.workers());
        if (rssStart > 0) {
            System.out.printf("RSS: batch %d %.1f MiB, batch %d %.1f MiB (%+.1f%%); %.0f MiB of tensors streamed, %.1fx the heap%n",
                    warmup, rssStart / 1048576.0, steps, rssEnd / 1048576.0, 100.0 * (rssEnd - rssStart) / rssStart,
                    bytes / 1048576.0, (double) bytes / Runtime.getRuntime().maxMemory());
        }
        if (loader.unreadable() > 0) {
            System.out.printf("data: %d unreadable image(s) replaced%n", loader.unreadable());
        }
        return 0;
    }

    private static void printProfile(Path trace, int steps) {
        OpProfile.stop(trace);
        List<OpProfile.Row> rows = OpProfile.selfTimes(trace);
        double total = rows.stream().mapToDouble(OpProfile.Row::selfMs).sum();
        System.out.printf("profile: %s, self time per step by operator (%.1f ms per step in all)%n", trace, total / steps);
        for (OpProfile.Row r : rows.subList(0, Math.min(15, rows.size()))) {
            System.out.printf("  %-48s %6.1f calls %8.2f ms %5.1f%%%n", r.name(), (double) r.calls() / steps,
                    r.selfMs() / steps, 100 * r.selfMs() / total);
        }
    }

    /** Best of a few timed 1024×1024 float matrix products through the engine. */
    static double sgemmGflops(NDManager parent) {
        int n = 1024;
        double best = Double.MAX_VALUE;
        try (NDManager m = parent.newSubManager()) {
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            for (int i = 0; i < 8; i++) {
                long t0 = System.nanoTime();
                try (NDArray c = a.matMul(b)) {
                    c.getFloat(0, 0); // waits for the result on any device
                }
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
        }
        return 2.0 * n * n * n / best / 1e9;
    }

    /** Images per second the background loader delivers (Fashion-MNIST-sized synthetic data, 3 channels). */
    static double loaderImagesPerSecond(SpinConfig cfg, int size) {
        ImageSet data = SyntheticImages.generate(8192, 10, 1, size, 0);
        BatchLoader loader = new BatchLoader(data, 64, true, 0, 3, List.of(0.5), List.of(0.5), true,
                Math.max(1, cfg.getInt("DATA_LOADER.NUM_WORKERS")));
        long t0 = System.nanoTime();
        int images = 0;
        try (EpochIterator it = loader.epoch(0)) {
            while (it.hasNext()) {
                images += it.next().size();
            }
        }
        return images / ((System.nanoTime() - t0) / 1e9);
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /**
     * Java direct buffers alive (awaiting collection included): memory the heap's size does not
     * bound, so a soak shows whether a step leaves any behind.
     */
    static String directBuffers() {
        for (java.lang.management.BufferPoolMXBean pool
                : java.lang.management.ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return String.format("%,d direct buffers of %.1f MiB", pool.getCount(), pool.getMemoryUsed() / 1048576.0);
            }
        }
        return "direct buffers unknown";
    }

    /** Resident set size from /proc (Linux); -1 elsewhere. */
    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }
}
