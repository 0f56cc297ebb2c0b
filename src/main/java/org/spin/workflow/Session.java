package org.spin.workflow;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.spin.config.SpinConfig;
import org.spin.io.SafeTensorsFile;
import org.spin.io.WeightFiles;
import org.spin.model.Models;
import org.spin.model.SpinModel;
import org.spin.model.StateDicts;
import org.spin.runtime.EngineSetup;

/**
 * An engine session: one device's manager, and the models built or loaded in it. Closing it
 * frees every array made in it.
 */
public final class Session implements AutoCloseable {

    private final SpinConfig cfg;
    private final NDManager manager;
    private final Optional<String> notice;
    private final List<Device> devices;

    private Session(SpinConfig cfg, List<Device> devices, Optional<String> notice) {
        this.cfg = cfg;
        this.manager = NDManager.newBaseManager(devices.get(0));
        this.notice = notice;
        this.devices = List.copyOf(devices);
    }

    /**
     * For work that runs a model (train, evaluate, infer, ...): the device {@code NUM_GPUS} asks
     * for, or the CPU with a {@link #notice()} when that machine has no CUDA device.
     */
    public static Session running(SpinConfig cfg) {
        EngineSetup.Placement p = EngineSetup.placement(cfg.getInt("NUM_GPUS"), 0);
        return new Session(cfg, List.of(p.device()), p.notice());
    }

    /**
     * For training: every device {@code NUM_GPUS} (or {@code NUM_CPU_REPLICAS} on the CPU) asks
     * for, one data-parallel replica each; this session's manager is the first one's.
     */
    public static Session training(SpinConfig cfg) {
        EngineSetup.Placement p = EngineSetup.placement(cfg.getInt("NUM_GPUS"), cfg.getInt("NUM_CPU_REPLICAS"));
        return new Session(cfg, p.devices(), p.notice());
    }

    /**
     * For work that only builds, counts or converts a model (stats, fuse): always the CPU, so a
     * config written for a GPU machine (the reference's {@code NUM_GPUS 4}) still counts anywhere.
     */
    public static Session onCpu(SpinConfig cfg) {
        return new Session(cfg, List.of(Device.cpu()), Optional.empty());
    }

    /** Why this session runs elsewhere than its config asks, for the caller to show. */
    public Optional<String> notice() {
        return notice;
    }

    public NDManager manager() {
        return manager;
    }

    /** The devices a training run places its replicas on; the first is this session's manager's. */
    public List<Device> devices() {
        return devices;
    }

    /** The session config's model, freshly initialised for {@code imageSize}-pixel inputs. */
    public SpinModel build(int imageSize) {
        return Models.build(cfg, manager, imageSize);
    }

    /** A weights file and the config it implies. */
    public record Weights(Path path, SafeTensorsFile file, SpinConfig cfg) {}

    /**
     * Reads a weights file (ours, or the reference's .pth/.pyth); its config is the file's own
     * (our checkpoints) or the defaults, then {@code settle} applies the caller's settings.
     */
    public static Weights read(Path weights, UnaryOperator<SpinConfig> settle) {
        SafeTensorsFile f = WeightFiles.read(weights);
        String own = f.metadata().get("config");
        SpinConfig base = own == null ? SpinConfig.defaults() : SpinConfig.fromJson(own);
        return new Weights(weights, f, settle.apply(base));
    }

    /** The model of {@code w}'s config with its weights, after checking the file's sharing plan. */
    public SpinModel load(Weights w, int imageSize) {
        SpinModel m = build(imageSize);
        StateDicts.load(m, w.file(), w.path());
        return m;
    }

    @Override
    public void close() {
        manager.close();
    }
}
