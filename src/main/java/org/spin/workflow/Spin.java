package org.spin.workflow;

import java.nio.file.Path;
import java.util.Map;
import org.spin.config.SpinConfig;
import org.spin.data.DataConfig;
import org.spin.data.Loader;
import org.spin.deploy.OnnxExporter;
import org.spin.fusion.Fuse;
import org.spin.model.Models;
import org.spin.model.Presets;
import org.spin.model.SpinModel;
import org.spin.predict.TrainedModel;
import org.spin.report.SweepReport;
import org.spin.sweep.SweepSpec;
import org.spin.train.EvalResult;
import org.spin.train.Evaluator;
import org.spin.train.TrainingListener;
import org.spin.train.TrainingResult;

/**
 * The toolkit from Java, one call per job of the CLI (which is a thin layer over these): configs,
 * training, evaluation, compression of a trained model, the compact export of a fusion model,
 * sweeps and their report, layer analysis. Prediction is {@code org.spin.predict.TrainedModel}
 * (DJL's {@code Criteria} and {@code Predictor}). Nothing here prints or exits;
 * bad input throws {@link org.spin.SpinException} with a one-line message.
 */
public final class Spin {

    private Spin() {}

    /** The defaults with {@code settings} (config keys in the reference's layout, e.g. {@code SOLVER.BASE_LR}). */
    public static SpinConfig config(Map<String, ?> settings) {
        return with(SpinConfig.defaults(), settings);
    }

    /** A named model ({@code spin models} lists them) with {@code settings} over it. */
    public static SpinConfig preset(String name, Map<String, ?> settings) {
        return with(Presets.get(name).applyTo(SpinConfig.defaults()), settings);
    }

    /** Trains {@code cfg}'s run in its {@code OUTPUT_DIR}, resuming it when {@code TRAIN.AUTO_RESUME} is on. */
    public static TrainingResult train(SpinConfig cfg) {
        return train(cfg, TrainingListener.NONE);
    }

    /** {@link #train(SpinConfig)}, telling {@code listener} the progress. */
    public static TrainingResult train(SpinConfig cfg, TrainingListener listener) {
        return Training.run(cfg, listener);
    }

    /** A checkpoint's top-1, top-5 and loss on the test split of the data set its config names. */
    public static EvalResult evaluate(Path weights) {
        return evaluate(Session.read(weights, c -> c));
    }

    /** {@link #evaluate(Path)} of weights already read (with the caller's settings over their config). */
    public static EvalResult evaluate(Session.Weights w) {
        DataConfig data = DataConfig.from(w.cfg());
        Loader test = data.loader(false);
        try (Session session = Session.running(w.cfg())) {
            SpinModel model = session.load(w, data.imageSize());
            return Evaluator.evaluate(model, test, session.manager());
        }
    }

    /**
     * Compresses a trained unshared model: every scope the config shares (the pointwise
     * convolutions by default) is shared among {@code shareRate} layers, initialised by fusing
     * the trained layers of each slot, fine-tuned, and exported compact.
     */
    public static Compression.Result compress(Compression.Request request, int shareRate) {
        SpinConfig cfg = Compression.config(request, (base, settings) -> {
            String ws = Models.weightShare(base);
            return with(base.with(ws + "ENABLE", true).with(ws + "SHARE_RATE", shareRate), settings);
        });
        return Compression.run(request, cfg, TrainingListener.NONE, new StopSignal());
    }

    /** Trains every run of a sweep file (all shards) in {@code output}; runs done before are skipped. */
    public static Sweep.Outcome sweep(Path file, Path output) throws InterruptedException {
        return new Sweep(SweepSpec.read(file), output, 0, 1).run(new StopSignal());
    }

    /**
     * Exports a fusion checkpoint (a config with {@code REDUCTION_FN}) as the compact shared model:
     * one tensor per slot, written to {@code output}.
     */
    public static Fuse.Export fuse(Path fusionCheckpoint, Path output) {
        Session.Weights w = Session.read(fusionCheckpoint, c -> c);
        return fuse(w, output);
    }

    /** {@link #fuse(Path, Path)} of weights already read (with the caller's settings over their config). */
    public static Fuse.Export fuse(Session.Weights w, Path output) {
        try (Session session = Session.onCpu(w.cfg())) {
            return Fuse.export(w.file(), w.cfg(), w.path(), output, session.manager(), DataConfig.from(w.cfg()).imageSize());
        }
    }

    /**
     * Writes a checkpoint (ours, a fusion model, or the reference's with its config) as an ONNX
     * file that ONNX Runtime runs: each shared slot stored once ({@link OnnxExporter}).
     */
    public static OnnxExporter.Written exportOnnx(Session.Weights w, Path output) {
        try (Session session = Session.onCpu(w.cfg())) {
            return OnnxExporter.write(new TrainedModel(w.path(), w.file(), w.cfg()), output, session.manager());
        }
    }

    /** {@link #exportOnnx(Session.Weights, Path)} of a checkpoint with its own config. */
    public static OnnxExporter.Written exportOnnx(Path weights, Path output) {
        return exportOnnx(Session.read(weights, c -> c), output);
    }

    /** Which layers of a trained model compute alike, and the plan that groups them (see {@link LayerStudy}). */
    public static LayerStudy.Result analyze(Path weights, int images, int shareRate) {
        return LayerStudy.run(Session.read(weights, c -> c), images, shareRate);
    }

    /** The sweep report (figures, ablations, every run) of a sweep directory, written to {@code output}. */
    public static SweepReport.Written report(Path sweepDir, Path output) {
        return SweepReport.write(sweepDir, output);
    }

    private static SpinConfig with(SpinConfig c, Map<String, ?> settings) {
        for (Map.Entry<String, ?> e : settings.entrySet()) {
            c = c.with(e.getKey(), e.getValue());
        }
        return c;
    }
}
