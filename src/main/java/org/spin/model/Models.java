package org.spin.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.model.convmixer.ConvMixerArchitecture;
import org.spin.model.vit.ViTArchitecture;
import org.spin.model.convnext.ConvNeXtArchitecture;
import org.spin.runtime.EngineRandom;
import org.spin.sharing.PlanConfig;

/** The architectures {@code MODEL.ARCH} names, and the one way to build a model from a config. */
public final class Models {

    private static final List<Architecture> ARCHITECTURES = List.of(new ConvMixerArchitecture(), new ViTArchitecture(),
            new ConvNeXtArchitecture());

    private Models() {}

    public static List<Architecture> architectures() {
        return ARCHITECTURES;
    }

    /** The architecture {@code MODEL.ARCH} names. */
    public static Architecture architecture(SpinConfig cfg) {
        String arch = cfg.getString("MODEL.ARCH");
        String name = arch == null ? "" : arch.trim().toLowerCase(Locale.ROOT);
        return ARCHITECTURES.stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new SpinException("MODEL.ARCH '" + arch + "' is not known; valid: "
                        + ARCHITECTURES.stream().map(Architecture::name).collect(Collectors.joining(", "))));
    }

    /** The family of a built model. */
    public static Architecture architecture(SpinModel model) {
        return ARCHITECTURES.stream().filter(a -> a.builds(model)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no architecture builds " + model.getClass()));
    }

    /** The config section of the model's shape and {@code WEIGHT_SHARE} keys, e.g. {@code CONVMIXER}. */
    public static String section(SpinConfig cfg) {
        return architecture(cfg).section();
    }

    /** {@code SECTION.WEIGHT_SHARE.} of the config's architecture. */
    public static String weightShare(SpinConfig cfg) {
        return section(cfg) + ".WEIGHT_SHARE.";
    }

    /**
     * Builds and initialises the model, drawing its weights from {@code RNG_SEED}.
     *
     * @param manager owns the parameters; its device is the model's
     * @param imageSize side of the square input, to size the token grid
     */
    public static SpinModel build(SpinConfig cfg, NDManager manager, int imageSize) {
        Architecture arch = architecture(cfg);
        SpinModel model = arch.create(cfg, imageSize);
        int channels = cfg.getIntList("DATA.INPUT_CHANNEL_NUM").get(0);
        return EngineRandom.seeded(cfg.getInt("RNG_SEED"), () -> {
            model.initialize(manager, DataType.FLOAT32, new Shape(1, channels, imageSize, imageSize));
            return model;
        });
    }

    public static ModelCost cost(SpinConfig cfg, int imageSize) {
        return architecture(cfg).cost(cfg, imageSize);
    }

    /**
     * Whether the config shares weights: its sharing plan maps two or more layers to one slot.
     * The one rule sweeps, compression, warnings and run results use.
     *
     * @throws SpinException when the sharing keys do not make a plan
     */
    public static boolean shares(SpinConfig cfg) {
        String section = section(cfg);
        return PlanConfig.from(cfg, section, cfg.getInt(section + ".DEPTH")).isShared();
    }

    /** A warning about the config's sharing settings (sharing norm layers), if any. */
    public static Optional<String> warning(SpinConfig cfg) {
        Architecture arch = architecture(cfg);
        String key = arch.section() + ".WEIGHT_SHARE.SCOPE";
        Set<String> scopes = arch.scopes().parse(key, cfg.getString(key));
        boolean shared;
        try {
            shared = shares(cfg);
        } catch (SpinException badPlan) {
            return Optional.empty(); // building the model says what is wrong
        }
        if (shared && scopes.stream().anyMatch(arch.scopes().norms()::contains)) {
            return Optional.of("spin: warning: " + key + " shares norm layers; the SPIN paper saw BatchNorm sharing"
                    + " diverge (running statistics stay per layer here)");
        }
        return Optional.empty();
    }
}
