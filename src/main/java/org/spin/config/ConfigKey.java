package org.spin.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One known config key. The schema, not the YAML, decides a value's type, so that a file, an
 * override and a checkpoint's JSON all produce the same value for the same meaning.
 *
 * @param name dotted path as in the reference's yacs tree, e.g. {@code SOLVER.BASE_LR}
 * @param type value type
 * @param defaultValue value before any layer is applied; {@code null} makes the key nullable
 *     ({@code None} in the reference)
 * @param actedOn false for keys we parse so the reference's configs load, but do not implement
 *     yet; setting one produces a warning instead of silently doing nothing
 * @param description one line for help and generated files
 * @param choices allowed spellings for an enumerated string key, empty when any string goes;
 *     matched case-insensitively and stored in the spelling listed here
 */
public record ConfigKey(
        String name,
        ConfigType type,
        Object defaultValue,
        boolean actedOn,
        String description,
        List<String> choices) {

    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]*(\\.[A-Z][A-Z0-9_]*)*");

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("config key name must be dotted UPPER_CASE: " + name);
        }
        choices = List.copyOf(choices);
        if (!choices.isEmpty() && type != ConfigType.STRING) {
            throw new IllegalArgumentException(name + ": only STRING keys can have choices");
        }
        if (defaultValue != null) {
            try {
                defaultValue = coerceNonNull(type, choices, defaultValue);
            } catch (InvalidValue e) {
                throw new IllegalArgumentException(name + ": default " + defaultValue
                        + " is not " + e.expectation(), e);
            }
        }
    }

    /** True when the key may hold null (the reference's {@code None}). */
    public boolean nullable() {
        return defaultValue == null;
    }

    /** The section path, e.g. {@code CONVMIXER.WEIGHT_SHARE}; empty for top-level keys. */
    public String section() {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(0, dot);
    }

    /** The last path component, e.g. {@code SHARE_RATE}. */
    public String leaf() {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** What a valid value looks like, for "expected ..." messages. */
    public String expectation() {
        if (!choices.isEmpty()) {
            return "one of " + (nullable() ? "None, " : "") + String.join(", ", choices);
        }
        return type.expectation() + (nullable() ? " or None" : "");
    }

    /**
     * Converts a raw value to this key's canonical value. Null and the reference's spelling
     * {@code None} mean "unset": null for nullable keys, the empty string for free-form strings
     * (the reference leaves paths empty, {@code PATH_TO_DATA_DIR:}, to mean "not given").
     *
     * @throws InvalidValue when the value does not fit
     */
    Object coerce(Object raw) {
        if (raw == null || "None".equals(raw)) {
            if (nullable()) {
                return null;
            }
            if (type == ConfigType.STRING && choices.isEmpty()) {
                return "";
            }
            throw new InvalidValue(expectation());
        }
        try {
            return coerceNonNull(type, choices, raw);
        } catch (InvalidValue e) {
            throw choices.isEmpty() && !nullable() ? e : new InvalidValue(expectation());
        }
    }

    private static Object coerceNonNull(ConfigType type, List<String> choices, Object raw) {
        Object value = type.coerce(raw);
        if (choices.isEmpty()) {
            return value;
        }
        String given = ((String) value).strip().toLowerCase(Locale.ROOT);
        for (String choice : choices) {
            if (choice.toLowerCase(Locale.ROOT).equals(given)) {
                return choice;
            }
        }
        throw new InvalidValue("one of " + String.join(", ", choices));
    }
}
