package org.spin.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.spin.config.SpinConfig;
import org.spin.io.SafeTensors;
import org.spin.model.Architecture;
import org.spin.model.ModelCost;
import org.spin.model.Models;
import org.spin.model.ParameterCount;
import org.spin.model.Presets;
import org.spin.model.RecipePreset;
import org.spin.model.SpinModel;
import org.spin.model.StateDicts;
import org.spin.train.Recipe;
import org.spin.workflow.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "stats", description = "Parameters (unique and unshared-equivalent), MACs/FLOPs per layer type, checkpoint size.")
final class StatsCommand implements Callable<Integer> {

    @Mixin
    ModelOptions opts;

    @Option(names = "--image-size", paramLabel = "PX", description = "Input side for MACs (default: DATA.TRAIN_CROP_SIZE; 28, or the preset's).")
    Integer imageSize;

    @Override
    public Integer call() {
        opts.setUpEngine();
        var cfg = opts.resolve();
        int size = imageSize == null ? cfg.getInt("DATA.TRAIN_CROP_SIZE") : imageSize;
        Architecture arch = Models.architecture(cfg);
        ModelCost cost = arch.cost(cfg, size);
        try (Session wb = Session.onCpu(cfg)) {
            SpinModel model = wb.build(size);
            long unique = ParameterCount.unique(model);
            Set<String> shared = new TreeSet<>();
            model.sharedTensors().stream().filter(t -> t.plan().isShared()).forEach(t -> shared.add(t.scope()));
            System.out.printf("%s, %d classes, plan %s (%d slots), shared: %s%n", arch.describe(cfg),
                    cfg.getInt("MODEL.NUM_CLASSES"), model.plan(), model.plan().numSlots(),
                    shared.isEmpty() ? "nothing" : String.join(", ", shared));
            System.out.printf("trainable parameters: %,d unique; %,d in the unshared model of the same shape (%.2fx)%n",
                    unique, cost.unsharedParams(), (double) cost.unsharedParams() / unique);
            System.out.printf("per %dx%d image (MACs = multiply-accumulates; FLOPs = 2 x MACs):%n", size, size);
            System.out.printf("  %-12s %15s %15s%n", "layer type", "MACs", "FLOPs");
            cost.macs().forEach(part -> row(part.name(), part.macs()));
            row("total", cost.totalMacs());
            System.out.printf("checkpoint size: %,d bytes (safetensors, float32)%n", checkpointBytes(model));
            RecipePreset named = opts.model == null ? null : Presets.get(opts.model).recipe();
            System.out.println("training recipe" + (named == null ? "" : " (" + named.name() + ", the preset's; settings"
                    + " given win)") + ":");
            Recipe.from(cfg).describe(model).forEach(line -> System.out.println("  " + line));
            System.out.println("  regularisation: " + regularisation(cfg, arch));
        }
        return 0;
    }

    /** The data pipeline's and the model's regularisers, as the config sets them. */
    private static String regularisation(SpinConfig cfg, Architecture arch) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (cfg.getBool("AUG.ENABLE")) {
            String aa = cfg.getString("AUG.AA_TYPE");
            parts.add(aa == null || aa.isBlank() || aa.equals("none") ? "no RandAugment" : "RandAugment " + aa);
            parts.add("random erasing " + cfg.getDouble("AUG.RE_PROB"));
        } else {
            parts.add("no augmentation");
        }
        if (cfg.getInt("TRAIN.REPEATED_AUG") > 1) {
            parts.add("repeated augmentation " + cfg.getInt("TRAIN.REPEATED_AUG"));
        }
        parts.add(cfg.getBool("MIXUP.ENABLE") ? "Mixup " + cfg.getDouble("MIXUP.ALPHA") + " / CutMix "
                + cfg.getDouble("MIXUP.CUTMIX_ALPHA") : "no Mixup/CutMix");
        String dropPath = arch.section() + ".DROP_PATH_RATE";
        if (cfg.schema().find(dropPath).isPresent()) {
            parts.add("drop path " + cfg.getDouble(dropPath));
        }
        parts.add("head dropout " + cfg.getDouble("MODEL.DROPOUT_RATE"));
        return String.join(", ", parts);
    }

    private static void row(String name, long macs) {
        System.out.printf("  %-12s %,15d %,15d%n", name, macs, 2 * macs);
    }

    private static long checkpointBytes(SpinModel model) {
        try {
            Path tmp = Files.createTempFile("spin-stats", ".safetensors");
            try {
                SafeTensors.write(tmp, StateDicts.export(model), Map.of());
                return Files.size(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
