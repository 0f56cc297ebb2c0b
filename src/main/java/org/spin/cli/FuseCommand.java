package org.spin.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.fusion.Fuse;
import org.spin.io.HostTensor;
import org.spin.io.SafeTensors;
import org.spin.model.Models;
import org.spin.model.ParameterCount;
import org.spin.model.SpinModel;
import org.spin.model.StateDicts;
import org.spin.model.convmixer.ConvMixer;
import org.spin.model.convmixer.ConvMixerConfig;
import org.spin.train.Checkpoints;
import org.spin.train.DataSources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "fuse", description = "Export a fusion model (REDUCTION_FN set) as the compact shared model: one weight per slot.")
final class FuseCommand implements Callable<Integer> {

    /** Largest |logit difference| between the fusion model and its export that we accept (float32). */
    static final double TOLERANCE = 1e-4;

    @Mixin
    ModelOptions opts;

    @Option(names = "--weights", required = true, paramLabel = "WF", description = "Fusion checkpoint (ours, or a reference .pth with --cfg).")
    Path weights;

    @Option(names = "--output", required = true, paramLabel = "COMPACT", description = "safetensors file to write.")
    Path output;

    @Override
    public Integer call() {
        opts.setUpEngine();
        Workbench.Loaded w = Workbench.read(weights, opts, Map.of());
        Result r = fuse(w, weights, output);
        System.out.printf("fused %s -> %s: %,d -> %,d trainable params, %,d -> %,d bytes; max |logit diff| %.2e"
                + " on a random batch%n", weights, output, r.paramsBefore, r.paramsAfter, r.bytesBefore, r.bytesAfter,
                r.maxDiff);
        return 0;
    }

    record Result(long paramsBefore, long paramsAfter, long bytesBefore, long bytesAfter, double maxDiff) {}

    /** Builds the fusion model from {@code w}, exports it, checks the export's logits, writes it. */
    static Result fuse(Workbench.Loaded w, Path source, Path output) {
        SpinConfig cfg = w.cfg();
        if (ConvMixerConfig.from(cfg).reduction() == null) {
            throw new SpinException(source + ": not a fusion model (CONVMIXER.WEIGHT_SHARE.REDUCTION_FN is None);"
                    + " nothing to fuse");
        }
        int size = DataSources.IMAGE_SIZE;
        try (Workbench wb = new Workbench(cfg)) {
            ConvMixer fusion = (ConvMixer) wb.load(w, source, size);
            Map<String, HostTensor> compact = Fuse.compactStateDict(fusion, wb.manager);
            SpinConfig compactCfg = Fuse.compactConfig(cfg, fusion);
            SpinModel exported = Models.build(compactCfg, wb.manager, size);
            StateDicts.load(exported, compact, output.toString());
            double diff = maxLogitDifference(fusion, exported, wb.manager, cfg, size);
            if (!(diff <= TOLERANCE)) {
                throw new SpinException(source + ": the export's logits differ from the fusion model's by " + diff
                        + " (more than " + TOLERANCE + "); nothing written");
            }
            Map<String, String> meta = new LinkedHashMap<>(w.file().metadata());
            meta.putAll(Checkpoints.metadata(compactCfg, exported, positionOf(w.file().metadata()), bestOf(w.file().metadata())));
            meta.remove("optimizer_file");
            meta.put("fused_from", source.getFileName().toString());
            SafeTensors.write(output, compact, meta);
            return new Result(ParameterCount.unique(fusion), ParameterCount.unique(exported), size(source), size(output), diff);
        }
    }

    private static Checkpoints.Position positionOf(Map<String, String> meta) {
        try {
            return new Checkpoints.Position(Integer.parseInt(meta.getOrDefault("epoch", "0")),
                    Integer.parseInt(meta.getOrDefault("step", "0")));
        } catch (NumberFormatException e) {
            return new Checkpoints.Position(0, 0);
        }
    }

    private static double bestOf(Map<String, String> meta) {
        try {
            return Double.parseDouble(meta.getOrDefault("best_top1", "NaN"));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Eval-mode logits of both models on one seeded random batch of 4. */
    static double maxLogitDifference(SpinModel a, SpinModel b, NDManager parent, SpinConfig cfg, int size) {
        try (NDManager scope = parent.newSubManager()) {
            scope.getEngine().setRandomSeed(0);
            int channels = cfg.getIntList("DATA.INPUT_CHANNEL_NUM").get(0);
            NDArray x = scope.randomNormal(new Shape(4, channels, size, size));
            return a.forward(x, false).sub(b.forward(x, false)).abs().max().getFloat();
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }
}
