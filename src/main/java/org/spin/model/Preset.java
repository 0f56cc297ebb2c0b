package org.spin.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spin.config.SpinConfig;

/**
 * A named model: config values over the defaults, named after its hyperparameters as timm does
 * ({@code convmixer_768_32}, {@code deit_small_patch16_224}).
 *
 * @param fullSize an ImageNet-sized model: tests only build and count it
 * @param recipe   the training recipe its paper used, applied under {@code values}; null: our
 *                 defaults (the small models' Fashion-MNIST demo)
 */
public record Preset(String name, String description, boolean fullSize, Map<String, Object> values,
                     RecipePreset recipe) {

    /** A preset that trains with our defaults. */
    public Preset(String name, String description, boolean fullSize, Map<String, Object> values) {
        this(name, description, fullSize, values, null);
    }

    /** This preset trained with {@code recipe}. */
    public Preset training(RecipePreset r) {
        return new Preset(name, description, fullSize, values, r);
    }

    /** 1000 classes of 3-channel 224-px images, ImageNet's normalisation. */
    public static Map<String, Object> imagenet() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("MODEL.NUM_CLASSES", 1000);
        m.put("DATA.INPUT_CHANNEL_NUM", List.of(3));
        m.put("DATA.MEAN", List.of(0.485, 0.456, 0.406));
        m.put("DATA.STD", List.of(0.229, 0.224, 0.225));
        m.put("DATA.TRAIN_CROP_SIZE", 224);
        m.put("DATA.TEST_CROP_SIZE", 224);
        return m;
    }

    /** 10 classes of 1-channel 28-px images: Fashion-MNIST, our CPU default. */
    public static Map<String, Object> fashionMnist() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("MODEL.NUM_CLASSES", 10);
        m.put("DATA.INPUT_CHANNEL_NUM", List.of(1));
        m.put("DATA.MEAN", List.of(0.2860));
        m.put("DATA.STD", List.of(0.3530));
        m.put("DATA.TRAIN_CROP_SIZE", 28);
        return m;
    }

    /** {@code data} then {@code shape}, as one ordered map. */
    public static Map<String, Object> of(Map<String, Object> data, Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>(data);
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    /** The recipe's values, then the model's. */
    public SpinConfig applyTo(SpinConfig cfg) {
        SpinConfig c = cfg;
        if (recipe != null) {
            for (Map.Entry<String, Object> e : recipe.values().entrySet()) {
                c = c.with(e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            c = c.with(e.getKey(), e.getValue());
        }
        return c;
    }

    /** Side of the square input the preset is meant for ({@code DATA.TRAIN_CROP_SIZE}). */
    public int imageSize() {
        return ((Number) values.getOrDefault("DATA.TRAIN_CROP_SIZE", 28)).intValue();
    }
}
