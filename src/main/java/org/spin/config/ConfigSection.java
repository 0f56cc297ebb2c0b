package org.spin.config;

/**
 * The config keys a model family brings: its own section ({@code CONVMIXER}, {@code VIT}, ...) and
 * its {@code WEIGHT_SHARE} subsection ({@link SpinSchema#weightShare}). A family registers its
 * implementation in {@code META-INF/services/org.spin.config.ConfigSection}; the file's order is
 * the order of the sections in generated YAML.
 */
public interface ConfigSection {

    /** Adds the family's keys. */
    void declare(ConfigSchema.Builder b);
}
