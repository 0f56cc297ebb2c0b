package org.spin.config;

import java.nio.file.Path;

/**
 * Where a layer of values came from, so that every error names the input a user has to fix:
 * the YAML file, "override" (command-line KEY VALUE pairs) or "option" (a CLI flag).
 */
record Source(String name, boolean isDocument) {

    static final Source OVERRIDE = new Source("override", false);
    static final Source OPTION = new Source("option", false);
    static final Source JSON = new Source("config JSON", true);

    static Source file(Path path) {
        return new Source(path.toString(), true);
    }

    static Source document(String name) {
        return new Source(name, true);
    }

    /** Prefix for an error about one key: "override SOLVER.BASE_LR" or "x.yaml: SOLVER.BASE_LR". */
    String at(String key) {
        return isDocument ? name + ": " + key : name + " " + key;
    }

    /** How a parsed value appears in "got ..." messages. */
    static String show(Object value) {
        if (value == null) {
            return "an empty value";
        }
        if (value instanceof java.util.Map<?, ?>) {
            return "a mapping";
        }
        return "'" + value + "'";
    }

    String unknownKey(String key, ConfigSchema schema) {
        return name + ": unknown key " + key
                + schema.didYouMean(key).map(s -> "; did you mean " + s + "?").orElse("");
    }
}
