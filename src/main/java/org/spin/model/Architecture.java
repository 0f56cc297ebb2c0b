package org.spin.model;

import java.util.List;
import org.spin.config.SpinConfig;
import org.spin.model.shared.Scopes;

/** One isotropic model family: its config section, what it can share, how to build and count it. */
public interface Architecture {

    /** {@code MODEL.ARCH}, e.g. {@code convmixer}. */
    String name();

    /** The config section holding its shape and {@code WEIGHT_SHARE}, e.g. {@code CONVMIXER}. */
    String section();

    Scopes scopes();

    /** The model, not yet initialised; bad config values are one-line errors. */
    SpinModel create(SpinConfig cfg, int imageSize);

    ModelCost cost(SpinConfig cfg, int imageSize);

    /** Its named models, small ones first. */
    List<Preset> presets();

    /** One line naming the model's shape, e.g. {@code ConvMixer-64/8 P2 K5 GELU}. */
    String describe(SpinConfig cfg);
}
