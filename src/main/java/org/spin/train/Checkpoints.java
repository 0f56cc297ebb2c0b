package org.spin.train;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * state sits beside it in {@code NAME.optim.eEsS.safetensors}, stamped with its position. Each
 * file is written atomically, the optimizer first; the model file, which names its optimizer
 * file, is the commit point a resume trusts, so a crash between the two writes leaves the old,
 * consistent pair.
 */
public final class Checkpoints {

    public static final String FORMAT = "spin-checkpoint/1";

    /** Metadata key of the class names, when the training data set has them. */
    public static final String CLASSES = "classes";

    /** Where training resumes: the next epoch and the next step within it. */
    public record Position(int epoch, int step) {}

    /**
     * What a checkpoint taken inside an epoch must carry for the resumed run to end as the
     * uninterrupted one: the epoch's loss so far (its mean is the epoch's {@code train_loss}), and the
     * updates skipped for a non-finite gradient, in all and in a row.
     */
    public record Progress(double epochLossSum, int epochSteps, long skipped, int skippedInARow) {
        public static final Progress NONE = new Progress(0, 0, 0, 0);
    }

    private Checkpoints() {}

    public static Path modelFile(Path runDir, String name) {
        return runDir.resolve(name + ".safetensors");
    }

    static String optimizerFileName(String name, Position pos) {
        return name + ".optim.e" + pos.epoch() + "s" + pos.step() + ".safetensors";
    }

    public static Map<String, String> metadata(SpinConfig cfg, SpinModel model, Position pos, double bestTop1) {
        return metadata(cfg, model, pos, bestTop1, Progress.NONE);
    }

    /** As {@link #metadata(SpinConfig, SpinModel, Position, double)}, for a checkpoint a run resumes from. */
    public static Map<String, String> metadata(SpinConfig cfg, SpinModel model, Position pos, double bestTop1,
                                               Progress progress) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("arch", cfg.getString("MODEL.ARCH"));
        meta.put("config", cfg.toJson());
        meta.put("plan", model.plan().toString());
        meta.put("epoch", Integer.toString(pos.epoch()));
        meta.put("step", Integer.toString(pos.step()));
        meta.put("best_top1", Double.toString(bestTop1));
        // Double.toString round-trips exactly, so the resumed epoch's mean loss is bit-identical
        meta.put("epoch_loss_sum", Double.toString(progress.epochLossSum()));
        meta.put("epoch_steps", Integer.toString(progress.epochSteps()));
        meta.put("skipped_updates", Long.toString(progress.skipped()));
        meta.put("skipped_in_a_row", Integer.toString(progress.skippedInARow()));
        List<String> classes = DataSources.classNames(cfg);
        if (!classes.isEmpty()) {
            meta.put(CLASSES, new GsonBuilder().disableHtmlEscaping().create().toJson(classes));
        }
        return meta;
    }

    /**
     * The class names a checkpoint carries (metadata {@value #CLASSES}, a JSON array of strings,
     * index = label), or an empty list when it has none.
     */
    public static List<String> classNames(Map<String, String> meta, Path file) {
        String json = meta.get(CLASSES);
        if (json == null) {
            return List.of();
        }
        List<String> names = stringArray(json);
        if (names == null) {
            throw new SpinException(file + ": metadata '" + CLASSES
                    + "' is not what we write; expected a JSON array of strings (the class names)");
        }
        return names;
    }

    /** The items of a JSON array of strings; null for anything else. */
    private static List<String> stringArray(String json) {
        JsonElement e;
        try {
            e = JsonParser.parseString(json);
        } catch (JsonParseException ex) {
            return null;
        }
        if (!e.isJsonArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonElement item : e.getAsJsonArray()) {
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
                return null;
            }
            out.add(item.getAsString());
        }
        return List.copyOf(out);
    }

    /** Writes the model, and the optimizer state when given. */
    public static void save(Path runDir, String name, SpinModel model, AdamW optimizer, Map<String, String> meta) {
        Map<String, String> mm = new LinkedHashMap<>(meta);
        String optimizerName = null;
        if (optimizer != null) {
            optimizerName = optimizerFileName(name, position(meta, modelFile(runDir, name)));
            Map<String, String> om = new LinkedHashMap<>(meta);
            om.put("step_count", Long.toString(optimizer.stepCount()));
            SafeTensors.write(runDir.resolve(optimizerName), optimizer.state(), om);
            mm.put("optimizer_file", optimizerName);
        }
        SafeTensors.write(modelFile(runDir, name), StateDicts.export(model), mm);
        deleteStaleOptimizerFiles(runDir, name, optimizerName);
    }

    private static void deleteStaleOptimizerFiles(Path runDir, String name, String keep) {
        try (var files = Files.list(runDir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String n = f.getFileName().toString();
                if (n.startsWith(name + ".optim.") && n.endsWith(".safetensors") && !n.equals(keep)) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A checkpoint's keys do not tell sequential from strided sharing: the plan in its metadata
     * does. Loading into a model with another plan would silently change what the weights mean.
     */
    public static void checkPlan(Map<String, String> meta, SpinModel model, Path file) {
        String saved = meta.get("plan");
        if (saved != null && !saved.equals(model.plan().toString())) {
            throw new SpinException(file + ": saved with sharing plan " + saved + " but the config gives "
                    + model.plan() + "; drop the sharing overrides or start a new OUTPUT_DIR");
        }
    }

    /** Restores model and optimizer from {@code NAME}; returns the model file's metadata. */
    public static Map<String, String> restore(Path runDir, String name, SpinModel model, AdamW optimizer) {
        Path mf = modelFile(runDir, name);
        SafeTensorsFile m = SafeTensors.read(mf);
        checkPlan(m.metadata(), model, mf);
        StateDicts.load(model, m.tensors(), mf.toString());
        Position pos = position(m.metadata(), mf);
        String optimizerName = m.metadata().get("optimizer_file");
        if (optimizerName == null) {
            throw new SpinException(mf + ": names no optimizer state, so it cannot be resumed");
        }
        Path of = runDir.resolve(optimizerName);
        if (!Files.exists(of)) {
            throw new SpinException(of + ": missing; it holds the optimizer state needed to resume " + mf);
        }
        SafeTensorsFile o = SafeTensors.read(of);
        if (!position(o.metadata(), of).equals(pos)) {
            throw new SpinException(of + ": optimizer state is from another point of the run than " + mf);
        }
        optimizer.load(o.tensors(), Long.parseLong(o.metadata().getOrDefault("step_count", "0")), of.toString());
        return m.metadata();
    }

    public static Position position(Map<String, String> meta, Path file) {
        try {
            return new Position(Integer.parseInt(meta.get("epoch")), Integer.parseInt(meta.get("step")));
        } catch (RuntimeException e) {
            throw new SpinException(file + ": not a resumable checkpoint of ours (metadata epoch/step missing)");
        }
    }

    /** The progress a checkpoint carries; {@link Progress#NONE} for files written before it was recorded. */
    public static Progress progress(Map<String, String> meta, Path file) {
        if (!meta.containsKey("epoch_loss_sum")) {
            return Progress.NONE;
        }
        try {
            return new Progress(Double.parseDouble(meta.get("epoch_loss_sum")), Integer.parseInt(meta.get("epoch_steps")),
                    Long.parseLong(meta.get("skipped_updates")), Integer.parseInt(meta.get("skipped_in_a_row")));
        } catch (RuntimeException e) {
            throw new SpinException(file + ": metadata epoch_loss_sum/epoch_steps/skipped_updates/skipped_in_a_row"
                    + " is not what we write; expected numbers");
        }
    }

    public static double bestTop1(Map<String, String> meta) {
        try {
            return Double.parseDouble(meta.getOrDefault("best_top1", "NaN"));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
