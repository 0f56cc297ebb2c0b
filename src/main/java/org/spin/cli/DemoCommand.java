package org.spin.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.data.DataConfig;
import org.spin.deploy.OnnxClassifier;
import org.spin.deploy.OnnxExporter;
import org.spin.io.AtomicFiles;
import org.spin.io.CheckpointFormat;
import org.spin.model.Models;
import org.spin.model.convmixer.ConvMixerConfig;
import org.spin.model.convmixer.ConvMixerCost;
import org.spin.predict.TrainedModel;
import org.spin.train.TrainingResult;
import org.spin.workflow.Compression;
import org.spin.workflow.Session;
import org.spin.workflow.StopSignal;
import org.spin.workflow.Training;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job: what sharing buys on Fashion-MNIST. A ConvMixer-64/8 unshared, shared at rate 2
 * (sequential and strided), and unshared at half the depth, which has about the unique
 * parameters of rate 2; each trained the same short budget. Then the paper's headline: the rate-2
 * model fused from the unshared teacher's trained layers and fine-tuned the same budget, exported
 * to ONNX, and that file's accuracy measured in ONNX Runtime.
 */
@Command(name = "demo", description = "Train four ConvMixer variants on Fashion-MNIST, fuse the unshared one to rate 2, export it to ONNX, and compare them.")
final class DemoCommand implements Callable<Integer> {

    @Mixin
    ModelOptions opts;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "1", description = "Epochs per variant (default 1).")
    int epochs;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = "runs/demo", description = "Where the runs go.")
    Path output;

    record Variant(String name, Map<String, Object> settings) {}

    static final List<Variant> VARIANTS = List.of(
            new Variant("unshared-64/8", Map.of()),
            new Variant("shared-r2-sequential", Map.of("CONVMIXER.WEIGHT_SHARE.ENABLE", true,
                    "CONVMIXER.WEIGHT_SHARE.SHARE_RATE", 2, "CONVMIXER.WEIGHT_SHARE.SHARING_MAPPING", "sequential")),
            new Variant("shared-r2-strided", Map.of("CONVMIXER.WEIGHT_SHARE.ENABLE", true,
                    "CONVMIXER.WEIGHT_SHARE.SHARE_RATE", 2, "CONVMIXER.WEIGHT_SHARE.SHARING_MAPPING", "strided")),
            new Variant("unshared-64/4", Map.of("CONVMIXER.DEPTH", 4)));

    /** ConvMixer-64/8, P2, K5, GELU on one gray channel; a one-epoch one-cycle recipe. */
    static SpinConfig base() {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("TRAIN.DATASET", "fashion_mnist");
        b.put("CONVMIXER.CHANNEL", 64);
        b.put("CONVMIXER.DEPTH", 8);
        b.put("CONVMIXER.PATCH_KERNEL", 2);
        b.put("CONVMIXER.PATCH_STRIDE", 2);
        b.put("CONVMIXER.KERNEL", 5);
        b.put("CONVMIXER.ACT_FUNC", "GELU");
        b.put("DATA.INPUT_CHANNEL_NUM", List.of(1));
        b.put("MODEL.NUM_CLASSES", 10);
        b.put("TRAIN.BATCH_SIZE", 128);
        b.put("TRAIN.AUTO_RESUME", false);
        b.put("SOLVER.BASE_LR", 0.01);
        b.put("SOLVER.CLIP_GRAD_L2NORM", 1.0);
        return ModelOptions.defaultsWith(b);
    }

    @Override
    public Integer call() {
        if (opts.shareRate != null) {
            throw new SpinException("--share-rate: the demo sets its own share rates; use 'spin train --share-rate'");
        }
        opts.setUpEngine();
        StopSignal stop = new StopSignal();
        return CtrlC.guard(stop, () -> trainVariants(stop), rows -> {
            if (rows == null) {
                System.err.println("demo: stopped; no table");
                return 130;
            }
            String table = String.join("\n", rows.variants()) + "\n\n" + String.join("\n", rows.headline()) + "\n";
            String note = String.format("%nSingle runs of %d epoch(s) each: indicative, not a ranking"
                    + " (seed-to-seed spread is not measured here).%n", epochs);
            System.out.print("\n" + table + note);
            AtomicFiles.write(output.resolve("results.md"), out -> out.write((table + note).getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)));
            return 0;
        });
    }

    /** The variants' table and the headline's (teacher, shared from scratch, fused, exported). */
    record Tables(List<String> variants, List<String> headline) {}

    /** Both tables, or null when stopped. */
    private Tables trainVariants(StopSignal stop) {
        List<String> rows = new ArrayList<>();
        Map<String, TrainingResult> results = new LinkedHashMap<>();
        rows.add("| variant | plan | unique params | MACs / image | test top-1 | train time |");
        rows.add("|---|---|---:|---:|---:|---:|");
        for (Variant v : VARIANTS) {
            Map<String, Object> o = new LinkedHashMap<>(v.settings());
            o.put("SOLVER.MAX_EPOCH", epochs);
            o.put("OUTPUT_DIR", output.resolve(v.name()).toString());
            SpinConfig cfg = opts.resolve(base(), o);
            DataSetSetup.ensure(cfg);
            TrainingResult r = Training.run(cfg, TrainCommand.progress(v.name()), false, stop);
            if (r.stopped() || r.finalEval() == null) {
                return null;
            }
            ConvMixerConfig c = ConvMixerConfig.from(cfg);
            ConvMixerCost cost = ConvMixerCost.of(c, DataConfig.from(cfg).imageSize());
            rows.add(String.format("| %s | %s | %,d | %,d | %.2f%% | %.0f s |", v.name(), c.plan(), r.uniqueParams(),
                    cost.totalMacs(), 100 * r.finalEval().top1(), r.trainSeconds()));
            results.put(v.name(), r);
        }
        List<String> headline = fuseAndExport(results, stop);
        return headline == null ? null : new Tables(rows, headline);
    }

    private static void clear(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new SpinException(dir + ": cannot clear the demo's earlier fused run: " + e.getMessage(), e);
        }
    }

    /**
     * Weight fusion, the paper's headline: the rate-2 sequential model initialised from the unshared
     * teacher's layers (each slot the mean of its two layers), fine-tuned as long as the others
     * trained, exported compact, then to ONNX, whose top-1 ONNX Runtime measures on the test split.
     */
    private List<String> fuseAndExport(Map<String, TrainingResult> results, StopSignal stop) {
        Path teacher = CheckpointFormat.modelFile(output.resolve(VARIANTS.get(0).name()), "last");
        // the demo trains every run it owns anew (the variants overwrite theirs); so the fused one
        clear(output.resolve("fused-r2"));
        Compression.Request request = new Compression.Request(teacher, output.resolve("fused-r2"), "sequential", "mean",
                epochs, false, false);
        SpinConfig cfg = Compression.config(request, (base, settings) -> {
            String ws = Models.weightShare(base);
            return opts.resolve(base.with(ws + "ENABLE", true).with(ws + "SHARE_RATE", 2), settings);
        });
        Compression.Result r = Compression.run(request, cfg, TrainCommand.progress("fused-r2"), stop);
        if (r.stopped() || r.exported() == null) {
            return null;
        }
        Path onnx = output.resolve("fused-r2.onnx");
        OnnxExporter.Written file;
        double ortTop1;
        try (Session session = Session.onCpu(cfg)) {
            file = OnnxExporter.write(TrainedModel.read(request.compact()), onnx, session.manager());
        }
        try (OnnxClassifier ort = OnnxClassifier.open(onnx, opts.threads)) {
            ortTop1 = ort.top1(DataConfig.from(cfg).loader(false));
        }
        TrainingResult scratch = results.get(VARIANTS.get(1).name());
        List<String> rows = new ArrayList<>();
        rows.add("| model (ConvMixer-64/8) | unique params | file | file bytes | test top-1 |");
        rows.add("|---|---:|---|---:|---:|");
        rows.add(String.format("| teacher: unshared | %,d | %s | %,d | %.2f%% |", r.teacherParams(),
                teacher.getFileName(), r.teacherBytes(), 100 * r.teacher().top1()));
        rows.add(String.format("| shared at rate 2, from scratch | %,d | | | %.2f%% |", scratch.uniqueParams(),
                100 * scratch.finalEval().top1()));
        rows.add(String.format("| fused from the teacher at rate 2, fine-tuned | %,d | %s | %,d | %.2f%% |",
                r.export().paramsAfter(), request.compact().getFileName(), r.export().bytesAfter(),
                100 * r.exported().top1()));
        rows.add(String.format("| the fused model in ONNX Runtime | %,d | %s | %,d | %.2f%% |", file.uniqueParams(),
                onnx.getFileName(), file.fileBytes(), 100 * ortTop1));
        return rows;
    }
}
