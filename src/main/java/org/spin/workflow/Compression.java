package org.spin.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.data.DataConfig;
import org.spin.data.Loader;
import org.spin.fusion.Fuse;
import org.spin.io.CheckpointFormat;
import org.spin.io.SafeTensorsFile;
import org.spin.io.WeightFiles;
import org.spin.model.Models;
import org.spin.model.SpinModel;
import org.spin.model.shared.Reduction;
import org.spin.sharing.SharingMapping;
import org.spin.train.Distillation;
import org.spin.train.EvalResult;
import org.spin.train.Evaluator;
import org.spin.train.InitialWeights;
import org.spin.train.Recipe;
import org.spin.train.TrainingListener;
import org.spin.train.TrainingResult;

/**
 * The SPIN workflow: a trained unshared model → a fusion model initialised from it → fine-tuning
 * (optionally distilled from the unshared model) → the compact shared export, each evaluated on
 * the config's test split.
 */
public final class Compression {

    private Compression() {}

    /**
     * What to compress and how.
     *
     * @param from      a trained unshared checkpoint (ours, or the reference's .pth/.pyth)
     * @param output    the fine-tuning run goes to {@code output/finetune}, the export to {@code output/compact.safetensors}
     * @param mapping   which layers share a slot: sequential, strided, random or cycle_rev
     * @param reduction mean, choose_first, scalar_weighted_mean or channel_weighted_mean
     * @param epochs    fine-tuning epochs; null keeps {@code SOLVER.MAX_EPOCH}
     * @param distill   distil from the unshared model ({@code DISTILL.ALPHA}, {@code DISTILL.TEMPERATURE})
     * @param resume    continue an interrupted fine-tuning run in {@code output}
     */
    public record Request(Path from, Path output, String mapping, String reduction, Integer epochs, boolean distill,
                          boolean resume) {

        public Path runDir() {
            return output.resolve("finetune");
        }

        public Path compact() {
            return output.resolve("compact.safetensors");
        }
    }

    /** The four models' top-1 and sizes; {@code afterTuning} and {@code exported} are null when stopped. */
    public record Result(SpinConfig cfg, EvalResult teacher, long teacherParams, long teacherBytes,
                         EvalResult atInitialisation, TrainingResult tuned, EvalResult afterTuning, EvalResult exported,
                         Fuse.Export export) {

        public boolean stopped() {
            return tuned.stopped();
        }
    }

    /**
     * The fine-tuning config, checked: {@code resolve} applies the request's settings (config
     * keys) to the source's own config (the defaults for a reference file), with whatever else the
     * caller sets (the CLI: preset, config file, share rate, overrides, in its precedence). Refuses
     * a request that cannot run before anything is read but the source.
     */
    public static SpinConfig config(Request r, BiFunction<SpinConfig, Map<String, Object>, SpinConfig> resolve) {
        SharingMapping.parse(r.mapping());
        if (Reduction.parse(r.reduction()) == null) {
            throw new SpinException("compress: reduction " + r.reduction()
                    + " is not a reduction; valid: mean, choose_first, scalar_weighted_mean, channel_weighted_mean");
        }
        boolean existing = Files.exists(CheckpointFormat.modelFile(r.runDir(), "last"));
        if (existing && !r.resume()) {
            throw new SpinException("compress: " + r.runDir() + " already holds a fine-tuning run; resume it, or choose"
                    + " another output");
        }
        if (r.resume() && !existing) {
            throw new SpinException("compress: cannot resume: " + CheckpointFormat.modelFile(r.runDir(), "last")
                    + " does not exist");
        }
        Path from = r.from().toAbsolutePath();
        SafeTensorsFile source = WeightFiles.read(from);
        String own = source.metadata().get("config");
        SpinConfig base = own == null ? SpinConfig.defaults() : SpinConfig.fromJson(own);
        String ws = Models.weightShare(base);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put(ws + "SHARING_MAPPING", r.mapping());
        o.put(ws + "REDUCTION_FN", r.reduction());
        o.put("TRAIN.CHECKPOINT_FILE_PATH", from.toString());
        o.put("TRAIN.CHECKPOINT_EPOCH_RESET", true);
        o.put("TRAIN.AUTO_RESUME", r.resume());
        if (r.epochs() != null) {
            o.put("SOLVER.MAX_EPOCH", r.epochs());
        }
        o.put("OUTPUT_DIR", r.runDir().toString());
        o.put("DISTILL.TEACHER", r.distill() ? from.toString() : "");
        SpinConfig cfg = resolve.apply(base, o);
        String chosen = Models.weightShare(cfg);
        if (!chosen.equals(ws)) {
            // a file without our config (timm's DeiT) whose architecture the preset, --cfg or an override chose:
            // the mapping and reduction belong to that architecture's section, the defaults' stays as it was
            SpinConfig d = SpinConfig.defaults();
            for (String key : new String[] {"SHARING_MAPPING", "REDUCTION_FN"}) {
                cfg = cfg.with(chosen + key, o.get(ws + key)).with(ws + key, d.get(ws + key));
            }
        }
        Recipe.from(cfg);
        if (!Models.shares(cfg)) {
            throw new SpinException("compress: the config shares nothing (" + Models.weightShare(cfg)
                    + "ENABLE and SHARE_RATE > 1 are needed); give a share rate");
        }
        if (r.distill()) {
            Distillation.check(cfg.getDouble("DISTILL.ALPHA"), cfg.getDouble("DISTILL.TEMPERATURE"));
        }
        return cfg;
    }

    /** Runs the workflow on {@code cfg} from {@link #config}; the listener hears the fine-tuning. */
    public static Result run(Request r, SpinConfig cfg, TrainingListener listener, StopSignal stop) {
        DataConfig data = DataConfig.from(cfg);
        int size = data.imageSize();
        Loader test = data.loader(false);
        EvalResult teacher;
        EvalResult atInit;
        long teacherParams;
        try (Session session = Session.running(cfg)) {
            // the same teacher distillation uses: the file's own config, or the unshared twin of cfg
            SpinModel t = InitialWeights.teacher(r.from(), cfg, session.manager(), size);
            teacherParams = t.stateDict().entrySet().stream().filter(e -> !e.getKey().contains(".running_"))
                    .mapToLong(e -> e.getValue().getArray().size()).sum(); // frozen, so not "unique trainable"
            teacher = Evaluator.evaluate(t, test, session.manager());
            SpinModel fused = session.build(size);
            InitialWeights.load(cfg, fused);
            atInit = Evaluator.evaluate(fused, test, session.manager());
        }
        listener.onMessage(String.format("teacher top-1 %.2f%%, fused at initialisation %.2f%%; fine-tuning %d epoch(s)",
                100 * teacher.top1(), 100 * atInit.top1(), cfg.getInt("SOLVER.MAX_EPOCH")));

        TrainingResult tuned = Training.run(cfg, listener, r.resume(), stop);
        long teacherBytes = size(r.from());
        if (tuned.stopped()) {
            return new Result(cfg, teacher, teacherParams, teacherBytes, atInit, tuned, null, null, null);
        }
        Path last = CheckpointFormat.modelFile(tuned.runDir(), "last");
        SafeTensorsFile lastFile = WeightFiles.read(last);
        Fuse.Export export;
        try (Session session = Session.running(cfg)) {
            export = Fuse.export(lastFile, SpinConfig.fromJson(lastFile.metadata().get("config")), last, r.compact(),
                    session.manager(), size);
        }
        Session.Weights compact = Session.read(r.compact(), c -> c);
        EvalResult exported;
        try (Session session = Session.running(compact.cfg())) {
            DataConfig compactData = DataConfig.from(compact.cfg());
            SpinModel m = session.load(compact, compactData.imageSize());
            exported = Evaluator.evaluate(m, compactData.loader(false), session.manager());
        }
        // a resumed run that had already finished trains no epoch and so evaluates nothing itself
        EvalResult after = tuned.finalEval() != null ? tuned.finalEval() : exported;
        return new Result(cfg, teacher, teacherParams, teacherBytes, atInit, tuned, after, exported, export);
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }
}
