package org.spin.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.model.convmixer.ConvMixer;
import org.spin.model.convmixer.ConvMixerConfig;

/** Builds the architecture {@code MODEL.ARCH} names, initialised from {@code RNG_SEED}. */
public final class Models {

    private Models() {}

    /**
     * @param manager owns the parameters; its device is the model's
     * @param imageSize side of the square input, to size the token grid
     */
    public static SpinModel build(SpinConfig cfg, NDManager manager, int imageSize) {
        String arch = cfg.getString("MODEL.ARCH");
        if (!"convmixer".equals(arch == null ? "" : arch.toLowerCase(Locale.ROOT))) {
            throw new SpinException("MODEL.ARCH " + arch + " is not available yet; valid: convmixer");
        }
        ConvMixerConfig c = ConvMixerConfig.from(cfg);
        c.gridSize(imageSize);
        Engine.getInstance().setRandomSeed(cfg.getInt("RNG_SEED"));
        ConvMixer model = new ConvMixer(c);
        model.initialize(manager, DataType.FLOAT32, new Shape(1, c.inChannels(), imageSize, imageSize));
        return model;
    }
}
