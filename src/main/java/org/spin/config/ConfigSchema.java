package org.spin.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The set of keys a config may contain. Kept apart from {@link SpinConfig} so that a model family
 * adds its section (a {@link ConfigSection}) with no change to parsing, validation or
 * serialisation.
 */
public final class ConfigSchema {

    private final Map<String, ConfigKey> keys;
    private final List<ConfigKey> keyList;
    private final List<String> names;
    private final Set<String> sections;

    private ConfigSchema(Map<String, ConfigKey> keys) {
        this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
        this.keyList = List.copyOf(keys.values());
        this.names = List.copyOf(keys.keySet());
        Set<String> prefixes = new TreeSet<>();
        for (String name : keys.keySet()) {
            for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
                prefixes.add(name.substring(0, dot));
            }
        }
        for (String prefix : prefixes) {
            if (keys.containsKey(prefix)) {
                throw new IllegalArgumentException(prefix + " is both a key and a section");
            }
        }
        this.sections = Collections.unmodifiableSet(prefixes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** All keys in declaration order, which is also the order of generated YAML and JSON. */
    public List<ConfigKey> keys() {
        return keyList;
    }

    public List<String> names() {
        return names;
    }

    public Optional<ConfigKey> find(String name) {
        return Optional.ofNullable(keys.get(name));
    }

    /**
     * The key for a name that code (not a user) supplied.
     *
     * @throws IllegalArgumentException for an unknown name, which is a programming error
     */
    public ConfigKey key(String name) {
        ConfigKey key = keys.get(name);
        if (key == null) {
            throw new IllegalArgumentException("unknown config key " + name
                    + didYouMean(name).map(s -> "; did you mean " + s + "?").orElse(""));
        }
        return key;
    }

    /** True for a dotted prefix that holds keys, e.g. {@code CONVMIXER.WEIGHT_SHARE}. */
    public boolean isSection(String name) {
        return sections.contains(name);
    }

    /** Close known names for a misspelt one, formatted "A", "A or B" or "A, B or C". */
    public Optional<String> didYouMean(String unknown) {
        return DidYouMean.suggest(unknown, names());
    }

    /**
     * The keys as a nested map following the dotted names (the yacs layout), with leaves from
     * {@code leaf}. Insertion order follows declaration order.
     */
    Map<String, Object> nest(Function<ConfigKey, Object> leaf) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (ConfigKey key : keys.values()) {
            String[] parts = key.name().split("\\.");
            Map<String, Object> node = root;
            for (int i = 0; i < parts.length - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> child =
                        (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
                node = child;
            }
            node.put(parts[parts.length - 1], leaf.apply(key));
        }
        return root;
    }

    /** Collects keys; sections give the dotted prefix once so tables of keys stay readable. */
    public static final class Builder {
        private final Map<String, ConfigKey> keys = new LinkedHashMap<>();

        private Builder() {}

        /** Keys under {@code path} ("" for top-level keys). */
        public Section section(String path) {
            return new Section(this, path.isEmpty() ? "" : path + ".");
        }

        public Builder add(ConfigKey key) {
            if (keys.putIfAbsent(key.name(), key) != null) {
                throw new IllegalArgumentException("duplicate config key " + key.name());
            }
            return this;
        }

        public ConfigSchema build() {
            return new ConfigSchema(keys);
        }
    }

    /**
     * Adds keys under one section. The {@code acted} flag is positional so that each key reads
     * as one table row: name, default, acted on, description.
     */
    public static final class Section {
        private final Builder builder;
        private final String prefix;

        private Section(Builder builder, String prefix) {
            this.builder = builder;
            this.prefix = prefix;
        }

        public Section integer(String leaf, Integer def, boolean acted, String description) {
            return add(leaf, ConfigType.INT, def, acted, description);
        }

        public Section number(String leaf, Double def, boolean acted, String description) {
            return add(leaf, ConfigType.DOUBLE, def, acted, description);
        }

        public Section bool(String leaf, Boolean def, boolean acted, String description) {
            return add(leaf, ConfigType.BOOL, def, acted, description);
        }

        public Section string(String leaf, String def, boolean acted, String description) {
            return add(leaf, ConfigType.STRING, def, acted, description);
        }

        /** An enumerated string; a null default makes None one of the choices. */
        public Section choice(String leaf, String def, boolean acted, String description, String... choices) {
            builder.add(new ConfigKey(prefix + leaf, ConfigType.STRING, def, acted, description,
                    Arrays.asList(choices)));
            return this;
        }

        public Section integers(String leaf, List<Integer> def, boolean acted, String description) {
            return add(leaf, ConfigType.INT_LIST, def == null ? null : new ArrayList<>(def), acted, description);
        }

        public Section numbers(String leaf, List<Double> def, boolean acted, String description) {
            return add(leaf, ConfigType.DOUBLE_LIST, def == null ? null : new ArrayList<>(def), acted, description);
        }

        private Section add(String leaf, ConfigType type, Object def, boolean acted, String description) {
            builder.add(new ConfigKey(prefix + leaf, type, def, acted, description, List.of()));
            return this;
        }
    }
}
