package org.spin.train;

import static org.spin.io.CheckpointFormat.modelFile;
import static org.spin.io.CheckpointFormat.optimizerFileName;
import static org.spin.io.CheckpointFormat.position;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.spin.SpinException;
import org.spin.io.CheckpointFormat.Position;
import org.spin.io.CheckpointFormat.Progress;
import org.spin.io.CheckpointFormat;
import org.spin.io.HostTensor;
import org.spin.io.SafeTensors;
import org.spin.io.SafeTensorsFile;
import org.spin.model.SpinModel;
import org.spin.model.StateDicts;

/**
 * Saving and restoring a model with its optimizer state, in the files {@link CheckpointFormat}
 * describes: the optimizer state is stamped with its position. Each file is written atomically,
 * the optimizer first; the model file, which names its optimizer
 * file, is the commit point a resume trusts, so a crash between the two writes leaves the old,
 * consistent pair.
 */
public final class Checkpoints {

    private Checkpoints() {}

    /** The metadata of a checkpoint of {@code model} of the run {@code record} describes, at {@code pos}. */
    public static Map<String, String> metadata(RunRecord record, SpinModel model, Position pos, double bestTop1) {
        return metadata(record, model, pos, bestTop1, Progress.NONE);
    }

    /** As {@link #metadata(RunRecord, SpinModel, Position, double)}, for a checkpoint a run resumes from. */
    public static Map<String, String> metadata(RunRecord record, SpinModel model, Position pos, double bestTop1,
                                               Progress progress) {
        return CheckpointFormat.metadata(record.arch(), record.configJson(), model.plan().toString(), pos, bestTop1,
                progress, record.classNames());
    }

    /** Writes the model, and the optimizer state when given. */
    public static void save(Path runDir, String name, SpinModel model, Optimizer optimizer, Map<String, String> meta) {
        save(runDir, name, model, optimizer, null, meta);
    }

    /**
     * Writes the model, the optimizer state when given, and with a weight average its state (in
     * the optimizer's file, so a resume finds the two consistent) and its weights as the model
     * file {@code NAME_ema}, which any command reads as weights.
     */
    public static void save(Path runDir, String name, SpinModel model, Optimizer optimizer, ModelEma ema,
                            Map<String, String> meta) {
        Map<String, String> mm = new LinkedHashMap<>(meta);
        String optimizerName = null;
        if (optimizer != null) {
            optimizerName = optimizerFileName(name, position(meta, modelFile(runDir, name)));
            Map<String, String> om = new LinkedHashMap<>(meta);
            om.put("step_count", Long.toString(optimizer.stepCount()));
            Map<String, HostTensor> state = new LinkedHashMap<>(optimizer.state());
            if (ema != null) {
                state.putAll(ema.state());
            }
            SafeTensors.write(runDir.resolve(optimizerName), state, om);
            mm.put("optimizer_file", optimizerName);
        }
        SafeTensors.write(modelFile(runDir, name), StateDicts.export(model), mm);
        deleteStaleOptimizerFiles(runDir, name, optimizerName);
        if (ema != null) {
            Map<String, String> em = new LinkedHashMap<>(meta);
            em.put("weights", "exponential moving average");
            SafeTensors.write(modelFile(runDir, emaName(name)), StateDicts.export(ema.average()), em);
        }
    }

    /** The model file name of the weight average saved beside checkpoint {@code name}. */
    public static String emaName(String name) {
        return name + "_ema";
    }

    /** What a resume restored: the model file's metadata, and whether the training state held a weight average. */
    public record Restored(Map<String, String> metadata, boolean emaRestored) {}

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

    /** Restores model and optimizer from {@code NAME}; returns the model file's metadata. */
    public static Map<String, String> restore(Path runDir, String name, SpinModel model, Optimizer optimizer) {
        return restore(runDir, name, model, optimizer, null).metadata();
    }

    /** As {@link #restore(Path, String, SpinModel, Optimizer)}, and the weight average when given. */
    public static Restored restore(Path runDir, String name, SpinModel model, Optimizer optimizer, ModelEma ema) {
        Path mf = modelFile(runDir, name);
        SafeTensorsFile m = SafeTensors.read(mf);
        StateDicts.load(model, m, mf);
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
        boolean emaRestored = ema != null && ema.load(o.tensors(), of.toString());
        return new Restored(m.metadata(), emaRestored);
    }
}
