package org.spin.fusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.Map;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.io.CheckpointFormat;
import org.spin.io.HostTensor;
import org.spin.io.SafeTensors;
import org.spin.io.SafeTensorsFile;
import org.spin.model.HostArrays;
import org.spin.model.Models;
import org.spin.model.ParameterCount;
import org.spin.model.SpinModel;
import org.spin.model.StateDicts;
import org.spin.model.shared.Reduction;
import org.spin.model.shared.WeightFamily;
import org.spin.runtime.Autograd;
import org.spin.runtime.EngineRandom;

/**
 * Export of a fusion model to the compact shared model: one tensor per slot for every fused
 * tensor, fused once; no per-layer sources and no reduction weights (the reference's export keeps
 * the reduction weights). ConvMixer's keys are the reference's, so the file loads into its shared
 * model.
 */
public final class Fuse {

    /** Largest |logit difference| between the fusion model and its export that we accept (float32). */
    public static final double TOLERANCE = 1e-4;

    /** What an export did: trainable parameters and file bytes before and after, and the logit check. */
    public record Export(long paramsBefore, long paramsAfter, long bytesBefore, long bytesAfter, double maxDiff) {}

    private Fuse() {}

    /**
     * Loads the fusion model {@code file} describes, exports it, checks that the export's
     * eval-mode logits equal the fusion model's on a random batch, and only then writes
     * {@code output} (atomically), with the source's metadata updated to the compact config.
     *
     * @param cfg the fusion model's config (the file's own, or the user's for a reference file)
     * @param imageSize side of the square input the check runs at
     */
    public static Export export(SafeTensorsFile file, SpinConfig cfg, Path source, Path output, NDManager parent,
                                int imageSize) {
        String ws = Models.weightShare(cfg);
        if (Reduction.parse(cfg.getString(ws + "REDUCTION_FN")) == null) {
            throw new SpinException(source + ": not a fusion model (" + ws + "REDUCTION_FN is None); nothing to fuse");
        }
        try (NDManager m = parent.newSubManager()) {
            SpinModel fusion = Models.build(cfg, m, imageSize);
            StateDicts.load(fusion, file, source);
            Map<String, HostTensor> compact = compactStateDict(fusion, m);
            SpinConfig compactCfg = compactConfig(cfg, fusion);
            SpinModel exported = Models.build(compactCfg, m, imageSize);
            StateDicts.load(exported, compact, output.toString());
            double diff = maxLogitDifference(fusion, exported, m, cfg, imageSize);
            if (!(diff <= TOLERANCE)) {
                throw new SpinException(source + ": the export's logits differ from the fusion model's by " + diff
                        + " (more than " + TOLERANCE + "); nothing written");
            }
            Map<String, String> meta = new LinkedHashMap<>(file.metadata());
            meta.remove("optimizer_file");
            meta.putIfAbsent("format", CheckpointFormat.FORMAT);
            meta.put("arch", compactCfg.getString("MODEL.ARCH"));
            meta.put("config", compactCfg.toJson());
            meta.put("plan", exported.plan().toString());
            meta.put("fused_from", source.getFileName().toString());
            SafeTensors.write(output, compact, meta);
            return new Export(ParameterCount.unique(fusion), ParameterCount.unique(exported), size(source),
                    size(output), diff);
        }
    }

    /** Eval-mode logits of both models on one seeded random batch of 4. */
    static double maxLogitDifference(SpinModel a, SpinModel b, NDManager parent, SpinConfig cfg, int size) {
        try (NDManager scope = parent.newSubManager(); Autograd.Scope inference = Autograd.paused()) {
            int channels = cfg.getIntList("DATA.INPUT_CHANNEL_NUM").get(0);
            NDArray x = EngineRandom.seeded(0, () -> scope.randomNormal(new Shape(4, channels, size, size)));
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

    /**
     * The compact state dict: each fused tensor's slots under the shared model's keys (for
     * ConvMixer's pointwise, the reference's {@code pwise_w.{s}}), relaxations as they are, and
     * every other tensor unchanged; no sources and no reduction weights.
     */
    public static Map<String, HostTensor> compactStateDict(SpinModel fusion, NDManager parent) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        Set<String> replaced = new HashSet<>();
        try (NDManager scope = parent.newSubManager()) {
            for (WeightFamily t : fusion.sharedTensors()) {
                if (t.fuses()) {
                    replaced.addAll(t.stateDict().keySet());
                    t.compact(scope).forEach((k, v) -> out.put(k, HostArrays.toHost(v)));
                }
            }
        }
        StateDicts.export(fusion).forEach((k, v) -> {
            if (!replaced.contains(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * The compact model's config: sharing on, no reduction, and the plan written out, so a
     * random or explicit plan survives, and no initialisation file.
     */
    public static SpinConfig compactConfig(SpinConfig fusion, SpinModel model) {
        String ws = Models.weightShare(fusion);
        return fusion.with(ws + "ENABLE", true).with(ws + "REDUCTION_FN", null)
                .with(ws + "PLAN", Arrays.stream(model.plan().toArray()).boxed().toList())
                .with("TRAIN.CHECKPOINT_FILE_PATH", "").with("DISTILL.TEACHER", "");
    }
}
