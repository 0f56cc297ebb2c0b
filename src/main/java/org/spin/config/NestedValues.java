package org.spin.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.spin.SpinException;

/**
 * Turns a parsed document (YAML or JSON, already plain Java maps and lists) in the reference's
 * nested yacs layout into key/raw-value pairs, checking the structure against the schema. Shared
 * by both formats so that a config file and a checkpoint's JSON are validated identically.
 */
final class NestedValues {

    /** A known key and the value the document gave it, not yet coerced. */
    record Entry(ConfigKey key, Object raw) {}

    /** Deeper than any key of the schema nests. */
    private static final int MAX_LEAF_DEPTH = 8;

    private NestedValues() {}

    static List<Entry> flatten(Object root, ConfigSchema schema, Source source) {
        if (root == null) {
            throw new SpinException(source.name() + ": empty; expected a mapping of config sections and keys");
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new SpinException(source.name() + ": expected a mapping of config sections and keys, got "
                    + (root instanceof List<?> ? "a list" : Source.show(root)));
        }
        List<Entry> out = new ArrayList<>();
        walk("", map, schema, source, out);
        return out;
    }

    private static void walk(String prefix, Map<?, ?> map, ConfigSchema schema, Source source, List<Entry> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String path = prefix + name(e.getKey(), prefix, source);
            Object value = e.getValue();
            Optional<ConfigKey> key = schema.find(path);
            if (key.isPresent()) {
                out.add(new Entry(key.get(), value));
            } else if (schema.isSection(path)) {
                if (value instanceof Map<?, ?> section) {
                    walk(path + ".", section, schema, source, out);
                } else if (value != null) { // an empty section (all keys commented out) sets nothing
                    throw new SpinException(source.at(path) + " is a section and needs a mapping of keys, got "
                            + Source.show(value));
                }
            } else {
                throw new SpinException(source.unknownKey(firstLeaf(path, value), schema));
            }
        }
    }

    /**
     * A key as text. YAML allows a list or a mapping as a key ({@code ? [a, b]}), which names no
     * config key and, built from aliases, can spell out to megabytes.
     */
    private static String name(Object key, String prefix, Source source) {
        if (key instanceof Map<?, ?> || key instanceof Collection<?>) {
            throw new SpinException(source.name() + ": " + (prefix.isEmpty() ? "top level" : "section "
                    + SpinException.excerpt(prefix.substring(0, prefix.length() - 1))) + " has "
                    + (key instanceof Map<?, ?> ? "a mapping" : "a list") + " as a key; expected config names");
        }
        return String.valueOf(key);
    }

    /**
     * For an unknown section, the first full key inside it: {@code SOLVR.BASE_LR} gets a useful
     * suggestion where {@code SOLVR} alone would not. Bounded, because YAML aliases can make a
     * mapping contain itself.
     */
    private static String firstLeaf(String path, Object value) {
        for (int depth = 0; depth < MAX_LEAF_DEPTH && value instanceof Map<?, ?> m && !m.isEmpty(); depth++) {
            Map.Entry<?, ?> first = m.entrySet().iterator().next();
            if (first.getKey() instanceof Map<?, ?> || first.getKey() instanceof Collection<?>) {
                break;
            }
            path = path + "." + first.getKey();
            value = first.getValue();
        }
        return path;
    }
}
