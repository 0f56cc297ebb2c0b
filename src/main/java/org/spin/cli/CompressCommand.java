package org.spin.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.fusion.Fuse;
import org.spin.model.shared.Reduction;
import org.spin.io.CheckpointFormat;
import org.spin.sharing.SharingMapping;
import org.spin.train.EvalResult;
import org.spin.workflow.Compression;
import org.spin.workflow.StopSignal;
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
            description = "Trained unshared checkpoint: ours, or one without our config (the reference's .pth/.pyth, timm's"
                    + " ViT/DeiT or ConvMixer, ConvNeXt's) with --model or --cfg.")
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
        boolean existing = Files.exists(CheckpointFormat.modelFile(runDir, "last"));
        if (existing && !resume) {
            throw new SpinException("compress: " + runDir + " already holds a fine-tuning run; give --resume to continue"
                    + " it, or another --output");
        }
        if (resume && !existing) {
            throw new SpinException("compress --resume: " + CheckpointFormat.modelFile(runDir, "last") + " does not exist");
        }
        opts.setUpEngine();
        Compression.Request request = new Compression.Request(from, output, mapping, reduction, epochs, distill, resume);
        SpinConfig cfg = Compression.config(request, opts::resolve);
        DataSetSetup.ensure(cfg);
        ConsoleProgress progress = new ConsoleProgress("compress");
        StopSignal stop = new StopSignal();
        return CtrlC.guard(stop, () -> Compression.run(request, cfg, CrashTrialMarker.wrap(progress), stop), r -> {
            if (r.stopped()) {
                System.err.println("compress: stopped; run the same command with --resume to continue");
                return 130;
            }
            Fuse.Export export = r.export();
            System.out.printf("compress %s -> %s: rate %d, %s mapping, %s reduction%s, %d fine-tuning epoch(s) on %s%n",
                    from, request.compact(), opts.shareRate, mapping, reduction, distill ? ", distilled" : "",
                    r.tuned().epochsDone(), cfg.getString("TRAIN.DATASET"));
            System.out.printf("| %-34s | %7s | %16s | %12s |%n", "model", "top-1", "trainable params", "file bytes");
            System.out.printf("|%s|%s:|%s:|%s:|%n", "-".repeat(36), "-".repeat(9), "-".repeat(18), "-".repeat(14));
            row("teacher (unshared)", r.teacher(), r.teacherParams(), r.teacherBytes());
            row("fused at initialisation", r.atInitialisation(), export.paramsBefore(), -1);
            row("after fine-tuning (fusion model)", r.afterTuning(), export.paramsBefore(), export.bytesBefore());
            row("compact export", r.exported(), export.paramsAfter(), export.bytesAfter());
            return 0;
        });
    }

    private static void row(String name, EvalResult r, long params, long bytes) {
        System.out.printf("| %-34s | %6.2f%% | %,16d | %12s |%n", name, r == null ? Double.NaN : 100 * r.top1(), params,
                bytes < 0 ? "" : String.format("%,d", bytes));
    }
}
