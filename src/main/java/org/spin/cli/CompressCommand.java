package org.spin.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.data.ImageSet;
import org.spin.fusion.Reduction;
import org.spin.io.SafeTensorsFile;
import org.spin.io.WeightFiles;
import org.spin.model.Models;
import org.spin.model.SpinModel;
import org.spin.model.StateDicts;
import org.spin.sharing.SharingMapping;
import org.spin.train.Checkpoints;
import org.spin.train.DataSources;
import org.spin.train.Distillation;
import org.spin.train.EvalResult;
import org.spin.train.Evaluator;
import org.spin.train.InitialWeights;
import org.spin.train.Trainer;
import org.spin.train.TrainingResult;
import org.spin.fusion.Fuse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The SPIN workflow in one command: a trained unshared model → a fusion model initialised from
 * it → fine-tuning (optionally distilled from the unshared model) → the compact shared export,
 * each evaluated on the config's test split.
 */
@Command(name = "compress", description = "Share a trained unshared model's weights: fuse, fine-tune, export, evaluate.")
final class CompressCommand implements Callable<Integer> {


    @Mixin
    ModelOptions opts;

    @Option(names = "--from", required = true, paramLabel = "UNSHARED",
            description = "Trained unshared checkpoint (ours, or the reference's .pth/.pyth with --cfg).")
    Path from;

    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "Directory for the fine-tuning run (DIR/finetune) and the export (DIR/compact.safetensors).")
    Path output;

    @Option(names = "--mapping", defaultValue = "sequential", paramLabel = "M",
            description = "Which layers share a slot: sequential, strided, random or cycle_rev (default sequential).")
    String mapping;

    @Option(names = "--reduction", defaultValue = "mean", paramLabel = "F",
            description = "mean, choose_first, scalar_weighted_mean or channel_weighted_mean (default mean).")
    String reduction;

    @Option(names = "--epochs", paramLabel = "E", description = "Fine-tuning epochs (SOLVER.MAX_EPOCH).")
    Integer epochs;

    @Option(names = "--distill", description = "Distil from the unshared model (DISTILL.ALPHA, DISTILL.TEMPERATURE).")
    boolean distill;

    @Option(names = "--resume", description = "Continue DIR's interrupted fine-tuning run.")
    boolean resume;

    @Override
    public Integer call() {
        if (opts.shareRate == null) {
            throw new SpinException("compress: --share-rate R is required (layers per shared slot)");
        }
        SharingMapping.parse(mapping);
        if (Reduction.parse(reduction) == null) {
            throw new SpinException("compress: --reduction " + reduction
                    + " is not a reduction; valid: mean, choose_first, scalar_weighted_mean, channel_weighted_mean");
        }
        Path runDir = output.resolve("finetune");
        boolean existing = Files.exists(Checkpoints.modelFile(runDir, "last"));
        if (existing && !resume) {
            throw new SpinException("compress: " + runDir + " already holds a fine-tuning run; give --resume to continue"
                    + " it, or another --output");
        }
        if (resume && !existing) {
            throw new SpinException("compress --resume: " + Checkpoints.modelFile(runDir, "last") + " does not exist");
        }
        opts.setUpEngine();
        SafeTensorsFile source = WeightFiles.read(from);
        Path fromAbs = from.toAbsolutePath();
        String own = source.metadata().get("config");
        SpinConfig base = own == null ? SpinConfig.defaults() : SpinConfig.fromJson(own);
        String ws = Models.weightShare(base);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put(ws + "SHARING_MAPPING", mapping);
        o.put(ws + "REDUCTION_FN", reduction);
        o.put("TRAIN.CHECKPOINT_FILE_PATH", fromAbs.toString());
        o.put("TRAIN.CHECKPOINT_EPOCH_RESET", true);
        o.put("TRAIN.AUTO_RESUME", resume);
        o.put("SOLVER.MAX_EPOCH", epochs);
        o.put("OUTPUT_DIR", runDir.toString());
        o.put("DISTILL.TEACHER", distill ? fromAbs.toString() : "");
        SpinConfig cfg = opts.resolve(base, o);
        Trainer.validate(cfg);
        Path compact = output.resolve("compact.safetensors");

        DataSetSetup.ensure(cfg);
        ImageSet test = DataSources.load(cfg, false);
        EvalResult teacher;
        EvalResult atInit;
        long teacherParams;
        try (Workbench wb = Workbench.running(cfg)) {
            // the same teacher distillation uses: the file's own config, or the unshared twin of cfg
            SpinModel t = InitialWeights.teacher(from, cfg, wb.manager, DataSources.imageSize(cfg));
            if (distill) {
                Distillation.check(cfg.getDouble("DISTILL.ALPHA"), cfg.getDouble("DISTILL.TEMPERATURE"));
            }
            teacherParams = t.stateDict().entrySet().stream().filter(e -> !e.getKey().contains(".running_"))
                    .mapToLong(e -> e.getValue().getArray().size()).sum(); // frozen, so not "unique trainable"
            teacher = Evaluator.evaluate(t, DataSources.loader(cfg, test, false), wb.manager);
            SpinModel fused = Models.build(cfg, wb.manager, DataSources.imageSize(cfg));
            InitialWeights.load(cfg, fused);
            atInit = Evaluator.evaluate(fused, DataSources.loader(cfg, test, false), wb.manager);
        }
        System.err.printf("compress: teacher top-1 %.2f%%, fused at initialisation %.2f%%; fine-tuning %d epoch(s)%n",
                100 * teacher.top1(), 100 * atInit.top1(), cfg.getInt("SOLVER.MAX_EPOCH"));

        TrainingResult tuned = TrainCommand.train(cfg, "compress", resume, new CountDownLatch(0));
        if (tuned.stopped()) {
            System.err.println("compress: stopped; run the same command with --resume to continue");
            return 130;
        }
        Path last = Checkpoints.modelFile(tuned.runDir(), "last");
        SafeTensorsFile lastFile = WeightFiles.read(last);
        Fuse.Export export;
        try (Workbench wb = Workbench.running(cfg)) {
            export = Fuse.export(lastFile, SpinConfig.fromJson(lastFile.metadata().get("config")), last, compact,
                    wb.manager, DataSources.imageSize(cfg));
        }
        SafeTensorsFile compactFile = WeightFiles.read(compact);
        SpinConfig compactCfg = SpinConfig.fromJson(compactFile.metadata().get("config"));
        EvalResult exported;
        try (Workbench wb = Workbench.running(compactCfg)) {
            SpinModel m = Models.build(compactCfg, wb.manager, DataSources.imageSize(compactCfg));
            StateDicts.load(m, compactFile.tensors(), compact.toString());
            exported = Evaluator.evaluate(m, DataSources.loader(compactCfg, test, false), wb.manager);
        }
        // a resumed run that had already finished trains no epoch and so evaluates nothing itself
        EvalResult after = tuned.finalEval() != null ? tuned.finalEval() : exported;

        System.out.printf("compress %s -> %s: rate %d, %s mapping, %s reduction%s, %d fine-tuning epoch(s) on %s%n",
                from, compact, opts.shareRate, mapping, reduction, distill ? ", distilled" : "", tuned.epochsDone(),
                cfg.getString("TRAIN.DATASET"));
        System.out.printf("| %-34s | %7s | %16s | %12s |%n", "model", "top-1", "trainable params", "file bytes");
        System.out.printf("|%s|%s:|%s:|%s:|%n", "-".repeat(36), "-".repeat(9), "-".repeat(18), "-".repeat(14));
        row("teacher (unshared)", teacher, teacherParams, size(from));
        row("fused at initialisation", atInit, export.paramsBefore(), -1);
        row("after fine-tuning (fusion model)", after, export.paramsBefore(), export.bytesBefore());
        row("compact export", exported, export.paramsAfter(), export.bytesAfter());
        return 0;
    }

    private static void row(String name, EvalResult r, long params, long bytes) {
        System.out.printf("| %-34s | %6.2f%% | %,16d | %12s |%n", name, r == null ? Double.NaN : 100 * r.top1(), params,
                bytes < 0 ? "" : String.format("%,d", bytes));
    }

    static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }
}
