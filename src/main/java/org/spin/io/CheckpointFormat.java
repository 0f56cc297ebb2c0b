package org.spin.io;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spin.SpinException;

/**
 * Our checkpoint files: {@code NAME.safetensors} holds the model under the reference's keys with
 * metadata that makes the file describe itself (format, architecture, config, sharing plan,
 * position in the run, progress, class names); the optimizer state sits beside it in
 * {@code NAME.optim.eEsS.safetensors}. This class owns the metadata: what is written and how it
 * reads back. Saving and restoring a model with its optimizer is {@code train.Checkpoints}.
 */
public final class CheckpointFormat {

    public static final String FORMAT = "spin-checkpoint/1";

    /** Metadata key of the class names, when the training data set has them. */
    public static final String CLASSES = "classes";

    /** Metadata key of the sharing plan ({@code SharingPlan.toString()}, e.g. {@code 0,0,1,1}). */
    public static final String PLAN = "plan";

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

    private CheckpointFormat() {}

    public static Path modelFile(Path runDir, String name) {
        return runDir.resolve(name + ".safetensors");
    }

    public static String optimizerFileName(String name, Position pos) {
        return name + ".optim.e" + pos.epoch() + "s" + pos.step() + ".safetensors";
    }

    /**
     * A model file's metadata.
     *
     * @param configJson the run's config ({@code SpinConfig.toJson()})
     * @param plan       the model's sharing plan ({@code SharingPlan.toString()})
     * @param classes    the data set's class names, index = label; empty when it has none
     */
    public static Map<String, String> metadata(String arch, String configJson, String plan, Position pos,
                                               double bestTop1, Progress progress, List<String> classes) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("arch", arch);
        meta.put("config", configJson);
        meta.put(PLAN, plan);
        meta.put("epoch", Integer.toString(pos.epoch()));
        meta.put("step", Integer.toString(pos.step()));
        meta.put("best_top1", Double.toString(bestTop1));
        // Double.toString round-trips exactly, so the resumed epoch's mean loss is bit-identical
        meta.put("epoch_loss_sum", Double.toString(progress.epochLossSum()));
        meta.put("epoch_steps", Integer.toString(progress.epochSteps()));
        meta.put("skipped_updates", Long.toString(progress.skipped()));
        meta.put("skipped_in_a_row", Integer.toString(progress.skippedInARow()));
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

    /**
     * A checkpoint's keys do not tell sequential from strided sharing: the plan in its metadata
     * does. Loading into a model with another plan would silently change what the weights mean.
     *
     * @param plan the plan of the model the file is about to be loaded into
     */
    public static void checkPlan(Map<String, String> meta, String plan, Path file) {
        String saved = meta.get(PLAN);
        if (saved != null && !saved.equals(plan)) {
            throw new SpinException(file + ": saved with sharing plan " + saved + " but the config gives "
                    + plan + "; drop the sharing overrides or start a new OUTPUT_DIR");
        }
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
