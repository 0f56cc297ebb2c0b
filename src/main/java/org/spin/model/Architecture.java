package org.spin.model;

import java.util.List;
import java.util.Locale;
import org.spin.config.SpinConfig;
import org.spin.model.shared.Scopes;

/** One isotropic model family: its config section, what it can share, how to build and count it. */
public interface Architecture {

    /** What it can share; its name is the family's. */
    Scopes scopes();

    /** {@code MODEL.ARCH}, e.g. {@code convmixer}. */
    default String name() {
        return scopes().arch();
    }

    /** The config section holding its shape and {@code WEIGHT_SHARE}: the name in capitals, e.g. {@code CONVMIXER}. */
    default String section() {
        return name().toUpperCase(Locale.ROOT);
    }

    /** The model, not yet initialised; bad config values are one-line errors. */
    SpinModel create(SpinConfig cfg, int imageSize);

    ModelCost cost(SpinConfig cfg, int imageSize);

    /** Its named models, small ones first. */
    List<Preset> presets();

    /**
     * The family's weight-decay rule where {@code SOLVER.ZERO_WD_1D_PARAM} is empty: whether biases
     * and 1-D tensors go undecayed too (timm's rule) or only what the model lists (the reference's).
     */
    boolean zeroWd1dParam();

    /** One line naming the model's shape, e.g. {@code ConvMixer-64/8 P2 K5 GELU}. */
    String describe(SpinConfig cfg);

    /** Whether {@code model} is one of this family's. */
    boolean builds(SpinModel model);

    /** The layout its state dicts are in, which names what a file it cannot load should have held. */
    StateDictLayout layout();

    /** Other codebases' layouts of this family whose pretrained files it loads too, recognised by their keys. */
    default List<StateDictLayout> imports() {
        return List.of();
    }
}
