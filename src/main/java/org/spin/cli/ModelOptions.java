package org.spin.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.spin.config.SpinConfig;
import org.spin.model.Models;
import org.spin.model.Presets;
import org.spin.runtime.EngineSetup;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Options every command that builds a model shares. Precedence, low to high: defaults (or the
 * checkpoint's own config) &lt; {@code --model} preset &lt; {@code --cfg} file &lt; options &lt;
 * {@code KEY VALUE} overrides.
 */
public final class ModelOptions {

    @Option(names = "--cfg", paramLabel = "FILE", description = "YAML config in the reference's layout.")
    Path cfg;

    @Option(names = "--model", paramLabel = "PRESET", description = "A named model (see 'spin models'), under --cfg.")
    String model;

    @Option(names = "--share-rate", paramLabel = "R", description = "Share each shared-scope tensor among R layers.")
    Integer shareRate;

    @Option(names = "--threads", paramLabel = "N", description = "Engine intra-op threads (default: what this process may use: OMP_NUM_THREADS, SLURM_CPUS_PER_TASK, else its CPU affinity and quota).")
    int threads;

    @Parameters(paramLabel = "KEY VALUE", description = "Config overrides, e.g. SOLVER.BASE_LR 0.05.")
    List<String> overrides = new ArrayList<>();

    /** Call before the first NDArray: threads are fixed when the engine starts. */
    void setUpEngine() {
        EngineSetup.configure(threads);
    }

    /** As {@link #setUpEngine()}, for latency-bound inference (infer, bench --mode infer). */
    void setUpEngine(EngineSetup.Waiting waiting) {
        EngineSetup.configure(threads, waiting);
    }

    /**
     * @param base the defaults, or the config a checkpoint carries
     * @param options a command's own options as config keys (null values are left out)
     */
    SpinConfig resolve(SpinConfig base, Map<String, Object> options) {
        SpinConfig c = base;
        if (model != null) {
            c = Presets.get(model).applyTo(c);
        }
        if (cfg != null) {
            c = c.withYaml(cfg);
        }
        if (shareRate != null) {
            String ws = Models.weightShare(c.withOverrides(overrides)); // an override may change MODEL.ARCH
            c = c.with(ws + "ENABLE", true).with(ws + "SHARE_RATE", shareRate);
        }
        for (Map.Entry<String, Object> e : options.entrySet()) {
            if (e.getValue() != null) {
                c = c.with(e.getKey(), e.getValue());
            }
        }
        c = c.withOverrides(overrides);
        c.ignoredKeysWarning().ifPresent(System.err::println);
        Models.warning(c).ifPresent(System.err::println);
        return c;
    }

    /** The defaults with a command's own preset applied (as options: overrides still win). */
    static SpinConfig defaultsWith(Map<String, Object> preset) {
        SpinConfig c = SpinConfig.defaults();
        for (Map.Entry<String, Object> e : preset.entrySet()) {
            c = c.with(e.getKey(), e.getValue());
        }
        return c;
    }

    SpinConfig resolve() {
        return resolve(SpinConfig.defaults(), Map.of());
    }
}
