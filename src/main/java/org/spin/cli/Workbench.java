package org.spin.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;
import org.spin.config.SpinConfig;
import org.spin.io.SafeTensorsFile;
import org.spin.io.WeightFiles;
import org.spin.model.Models;
import org.spin.model.SpinModel;
import org.spin.model.StateDicts;
import org.spin.runtime.EngineSetup;
import org.spin.train.Checkpoints;

/** A command's engine session: the device's manager, and models built or loaded in it. */
final class Workbench implements AutoCloseable {

    final SpinConfig cfg;
    final NDManager manager;

    private Workbench(SpinConfig cfg, Device device) {
        this.cfg = cfg;
        this.manager = NDManager.newBaseManager(device);
    }

    /** For commands that run a model (train, eval, infer, ...): the device {@code NUM_GPUS} asks for. */
    static Workbench running(SpinConfig cfg) {
        return new Workbench(cfg, EngineSetup.device(cfg.getInt("NUM_GPUS")));
    }

    /**
     * For commands that only build, count or convert a model (stats, fuse): always the CPU, so a
     * config written for a GPU machine (the reference's {@code NUM_GPUS 4}) still counts anywhere.
     */
    static Workbench onCpu(SpinConfig cfg) {
        return new Workbench(cfg, Device.cpu());
    }

    SpinModel build(int imageSize) {
        return Models.build(cfg, manager, imageSize);
    }

    /** A weights file and the config it implies: its own (our checkpoints) under the user's. */
    record Loaded(SafeTensorsFile file, SpinConfig cfg) {}

    static Loaded read(Path weights, ModelOptions opts, Map<String, Object> options) {
        SafeTensorsFile f = WeightFiles.read(weights);
        String own = f.metadata().get("config");
        SpinConfig base = own == null ? SpinConfig.defaults() : SpinConfig.fromJson(own);
        return new Loaded(f, opts.resolve(base, options));
    }

    SpinModel load(Loaded w, Path source, int imageSize) {
        SpinModel m = build(imageSize);
        Checkpoints.checkPlan(w.file().metadata(), m, source);
        StateDicts.load(m, w.file().tensors(), source.toString());
        return m;
    }

    @Override
    public void close() {
        manager.close();
    }
}
