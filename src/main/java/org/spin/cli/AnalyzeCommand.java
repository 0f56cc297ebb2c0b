package org.spin.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.spin.SpinException;
import org.spin.analysis.AnalysisReport;
import org.spin.analysis.LayerAnalysis;
import org.spin.workflow.LayerStudy;
import org.spin.workflow.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Layer analysis of a checkpoint and the sharing plan it suggests. Not the {@link ModelOptions}
 * mixin: its {@code --share-rate} would reshape the model being loaded, while here it is the rate
 * to suggest a plan for.
 */
@Command(name = "analyze", description = "CKA between blocks, activation norms, weight cosines, and a suggested sharing plan.")
final class AnalyzeCommand implements Callable<Integer> {

    @Option(names = "--weights", required = true, paramLabel = "W",
            description = "Our .safetensors checkpoint, or the reference's .pth/.pyth (give --cfg then).")
    Path weights;

    @Option(names = "--cfg", paramLabel = "FILE", description = "YAML config over the checkpoint's own.")
    Path cfg;

    @Option(names = "--images", paramLabel = "N", defaultValue = "512",
            description = "Analyse the test split's first N images (default: 512).")
    int images;

    @Option(names = "--output", paramLabel = "DIR",
            description = "Report directory (default: <weights name>-analysis beside the weights).")
    Path output;

    @Option(names = "--share-rate", paramLabel = "R", defaultValue = "2",
            description = "Suggest a plan with depth/R slots (default: 2).")
    int shareRate;

    @Option(names = "--threads", paramLabel = "N", description = "Engine intra-op threads (default: what this process may use: OMP_NUM_THREADS, SLURM_CPUS_PER_TASK, else its CPU affinity and quota).")
    int threads;

    @Parameters(paramLabel = "KEY VALUE", description = "Config overrides, e.g. TRAIN.DATASET synthetic.")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
        if (images < 2) {
            throw new SpinException("--images " + images + " must be at least 2: CKA centres over the examples");
        }
        if (shareRate < 1) {
            throw new SpinException("--share-rate " + shareRate + " must be at least 1");
        }
        ModelOptions opts = new ModelOptions();
        opts.cfg = cfg;
        opts.threads = threads;
        opts.overrides = overrides;
        opts.setUpEngine();
        Session.Weights w = Session.read(weights, base -> opts.resolve(base, Map.of()));
        DataSetSetup.ensure(w.cfg());
        LayerStudy.Result study = LayerStudy.run(w, images, shareRate);
        AnalysisReport report = study.report();
        if (study.plan().isShared()) {
            System.err.println("note: this model already shares weights (" + study.plan().numSlots() + " slots for "
                    + study.plan().depth() + " layers); the suggestion groups its layers as they compute now");
        }
        Path dir = output != null ? output : defaultOutput(weights);
        report.write(dir);
        System.out.print(summary(report, dir));
        return 0;
    }

    /** {@code runs/x/last.safetensors} → {@code runs/x/last-analysis}. */
    static Path defaultOutput(Path weights) {
        String name = weights.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return weights.toAbsolutePath().resolveSibling((dot > 0 ? name.substring(0, dot) : name) + "-analysis");
    }

    static String summary(AnalysisReport r, Path dir) {
        LayerAnalysis a = r.analysis();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s: %d blocks over %d images%n", r.source(), a.depth(), a.images()));
        sb.append("linear CKA between block outputs:\n");
        sb.append(String.format(Locale.ROOT, "%5s", ""));
        for (int j = 0; j < a.depth(); j++) {
            sb.append(String.format(Locale.ROOT, "%6d", j));
        }
        sb.append('\n');
        for (int i = 0; i < a.depth(); i++) {
            sb.append(String.format(Locale.ROOT, "%5d", i));
            for (int j = 0; j < a.depth(); j++) {
                sb.append(String.format(Locale.ROOT, "%6.2f", a.cka()[i][j]));
            }
            sb.append('\n');
        }
        sb.append(String.format(Locale.ROOT, "%5s %10s %10s%n", "block", "act norm", "act rms"));
        for (int i = 0; i < a.depth(); i++) {
            sb.append(String.format(Locale.ROOT, "%5d %10.3f %10.4f%n", i, a.activationNorm()[i], a.activationRms()[i]));
        }
        sb.append(String.format(Locale.ROOT, "suggested plan at share rate %d (%d slots): within-group CKA score %.3f"
                + " (uniform %.3f)%n", r.shareRate(), r.suggested().groupSizes().length, r.suggested().score(),
                r.uniform().score()));
        r.planLines().forEach(line -> sb.append(line).append('\n'));
        sb.append("report: ").append(dir).append('\n');
        return sb.toString();
    }
}
