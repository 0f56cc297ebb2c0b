package org.spin.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.io.SafeTensors;
import org.spin.io.SafeTensorsFile;
import org.spin.model.SpinModel;
import org.spin.model.StateDicts;

/**
 * Our checkpoint layout: {@code NAME.safetensors} holds the model under the reference's keys
 * with the config, plan and position as metadata, so a file describes itself; the optimizer
 * state sits beside it in {@code NAME.optim.safetensors}. Each file is written atomically,
 * the optimizer first: the model file is the commit point a resume trusts.
 */
public final class Checkpoints {

    public static final String FORMAT = "spin-checkpoint/1";

    /** Where training resumes: the next epoch and the next step within it. */
    public record Position(int epoch, int step) {}

    private Checkpoints() {}

    public static Path modelFile(Path runDir, String name) {
        return runDir.resolve(name + ".safetensors");
    }

    static Path optimizerFile(Path runDir, String name) {
        return runDir.resolve(name + ".optim.safetensors");
    }

    public static Map<String, String> metadata(SpinConfig cfg, SpinModel model, Position pos, double bestTop1) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("arch", cfg.getString("MODEL.ARCH"));
        meta.put("config", cfg.toJson());
        meta.put("plan", model.plan().toString());
        meta.put("epoch", Integer.toString(pos.epoch()));
        meta.put("step", Integer.toString(pos.step()));
        meta.put("best_top1", Double.toString(bestTop1));
        return meta;
    }

    /** Writes the model, and the optimizer state when given. */
    public static void save(Path runDir, String name, SpinModel model, AdamW optimizer, Map<String, String> meta) {
        if (optimizer != null) {
            Map<String, String> om = new LinkedHashMap<>(meta);
            om.put("step_count", Long.toString(optimizer.stepCount()));
            SafeTensors.write(optimizerFile(runDir, name), optimizer.state(), om);
        }
        SafeTensors.write(modelFile(runDir, name), StateDicts.export(model), meta);
    }

    /** Restores model and optimizer from {@code NAME} in the run directory; returns where to go on. */
    public static Position restore(Path runDir, String name, SpinModel model, AdamW optimizer) {
        Path mf = modelFile(runDir, name);
        SafeTensorsFile m = SafeTensors.read(mf);
        StateDicts.load(model, m.tensors(), mf.toString());
        Position pos = position(m.metadata(), mf);
        Path of = optimizerFile(runDir, name);
        if (!Files.exists(of)) {
            throw new SpinException(of + ": missing; it holds the optimizer state needed to resume " + mf);
        }
        SafeTensorsFile o = SafeTensors.read(of);
        if (!position(o.metadata(), of).equals(pos)) {
            throw new SpinException(of + ": optimizer state is from another point of the run than " + mf);
        }
        optimizer.load(o.tensors(), Long.parseLong(o.metadata().getOrDefault("step_count", "0")), of.toString());
        return pos;
    }

    static Position position(Map<String, String> meta, Path file) {
        try {
            return new Position(Integer.parseInt(meta.get("epoch")), Integer.parseInt(meta.get("step")));
        } catch (RuntimeException e) {
            throw new SpinException(file + ": not a resumable checkpoint of ours (metadata epoch/step missing)");
        }
    }

    public static double bestTop1(Map<String, String> meta) {
        String v = meta.get("best_top1");
        return v == null ? Double.NaN : Double.parseDouble(v);
    }
}
