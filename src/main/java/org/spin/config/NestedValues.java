package org.spin.config;

import java.util.ArrayList;
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
            String path = prefix + e.getKey();
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
     * For an unknown section, the first full key inside it: {@code SOLVR.BASE_LR} gets a useful
     * suggestion where {@code SOLVR} alone would not.
     */
    private static String firstLeaf(String path, Object value) {
        while (value instanceof Map<?, ?> m && !m.isEmpty()) {
            Map.Entry<?, ?> first = m.entrySet().iterator().next();
            path = path + "." + first.getKey();
            value = first.getValue();
        }
        return path;
    }
}
