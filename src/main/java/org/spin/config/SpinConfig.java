package org.spin.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import org.spin.SpinException;

/**
 * An immutable, validated set of values for every key in {@link SpinSchema}. Layers are applied
 * by call order, mirroring the reference's yacs flow (defaults, then {@code --cfg} file, then
 * trailing {@code KEY VALUE} overrides), so the CLI can put its own options between the file and
 * the overrides: {@code defaults().withYaml(f).with(k, v).withOverrides(rest)}.
 *
 * <p>Every user-facing problem (unknown key, wrong type, bad file) is a one-line
 * {@link SpinException} naming the input; asking for a key that is not in the schema is a
 * programming error and an {@link IllegalArgumentException}.
 */
public final class SpinConfig {

    private static final Set<String> NULL_WORDS = Set.of("None", "null", "Null", "NULL", "~");

    private final ConfigSchema schema;
    private final Map<String, Object> values;
    private final List<String> ignored;

    private SpinConfig(ConfigSchema schema, Map<String, Object> values, Collection<String> ignored) {
        this.schema = schema;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.ignored = List.copyOf(ignored);
    }

    /** Our defaults: a small Fashion-MNIST ConvMixer run on the CPU. */
    public static SpinConfig defaults() {
        ConfigSchema schema = SpinSchema.get();
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigKey key : schema.keys()) {
            values.put(key.name(), key.defaultValue());
        }
        return new SpinConfig(schema, values, List.of());
    }

    /** Applies a YAML file in the reference's nested layout. */
    public SpinConfig withYaml(Path file) {
        String text;
        try {
            // a YAML code point is at most 4 bytes; a larger file is not a config, however it parses
            long size = Files.size(file);
            if (size > 4L * YamlCodec.MAX_CODE_POINTS) {
                throw new SpinException(file + ": config file has " + size + " bytes, more than the "
                        + YamlCodec.MAX_CODE_POINTS + " characters a config may hold; expected a YAML config");
            }
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new SpinException(file + ": cannot read config: no such file", e);
        } catch (AccessDeniedException e) {
            throw new SpinException(file + ": cannot read config: permission denied", e);
        } catch (CharacterCodingException e) {
            throw new SpinException(file + ": cannot read config: not UTF-8 text", e);
        } catch (IOException e) {
            throw new SpinException(file + ": cannot read config: " + SpinException.firstLine(e), e);
        }
        return applyDocument(YamlCodec.parseDocument(text, Source.file(file)), Source.file(file));
    }

    /**
     * Applies YAML text, e.g. the {@code cfg} string stored in a checkpoint; {@code sourceName}
     * names it in error messages.
     */
    public SpinConfig withYamlText(String yaml, String sourceName) {
        Source source = Source.document(sourceName);
        return applyDocument(YamlCodec.parseDocument(yaml, source), source);
    }

    /**
     * Applies command-line {@code KEY VALUE} pairs, as the reference's trailing arguments. A value
     * is read as a YAML flow scalar or list ({@code [0.5,0.5]}), or for integer and number lists
     * also as comma-separated text ({@code 0,0,1,1}); {@code None}, {@code null} or an empty
     * value unset a nullable key. String keys take the text as is.
     */
    public SpinConfig withOverrides(List<String> keyValuePairs) {
        if (keyValuePairs.size() % 2 != 0) {
            throw new SpinException("override " + keyValuePairs.get(keyValuePairs.size() - 1)
                    + ": missing value; overrides come in KEY VALUE pairs");
        }
        Layer layer = new Layer();
        for (int i = 0; i < keyValuePairs.size(); i += 2) {
            String name = keyValuePairs.get(i).strip();
            String text = keyValuePairs.get(i + 1);
            ConfigKey key = schema.find(name)
                    .orElseThrow(() -> new SpinException(Source.OVERRIDE.unknownKey(name, schema)));
            layer.set(key, coerce(key, parseText(key, text), Source.OVERRIDE, "'" + text + "'"));
        }
        return layer.build();
    }

    /**
     * Sets one key from code, typically a CLI option. A String value is parsed like an override
     * value; other values (numbers, booleans, lists, arrays) are coerced directly.
     *
     * @throws IllegalArgumentException if {@code key} is not in the schema
     * @throws SpinException if the value does not fit the key (it may come from a user)
     */
    public SpinConfig with(String key, Object value) {
        ConfigKey k = schema.key(key);
        Object raw = value instanceof String s ? parseText(k, s) : value;
        String shown = value instanceof String s ? "'" + s + "'" : Source.show(value);
        Layer layer = new Layer();
        layer.set(k, coerce(k, raw, Source.OPTION, shown));
        return layer.build();
    }

    /** Reads {@link #toJson()} output, validating it like a config file. */
    public static SpinConfig fromJson(String json) {
        SpinConfig defaults = defaults();
        SpinConfig read = defaults.applyDocument(JsonCodec.parse(json, Source.JSON), Source.JSON);
        // A dump lists every key, so presence says nothing about intent: warn only about values
        // that differ from our defaults.
        List<String> ignored = new ArrayList<>();
        for (ConfigKey key : read.schema.keys()) {
            if (!key.actedOn() && !Objects.equals(read.values.get(key.name()), key.defaultValue())) {
                ignored.add(key.name());
            }
        }
        return new SpinConfig(read.schema, read.values, ignored);
    }

    /** Every key with its effective value, nested like the YAML layout. */
    public String toJson() {
        return JsonCodec.write(schema, key -> values.get(key.name()));
    }

    /** Every key in the reference's layout; {@code withYaml} of this text gives an equal config. */
    public String toYaml() {
        return YamlCodec.write(schema, key -> values.get(key.name()),
                "SPIN config: every key with its effective value.\n"
                        + "Keys marked 'not acted on yet' are read for compatibility with the reference but ignored.");
    }

    public ConfigSchema schema() {
        return schema;
    }

    /** All effective values by dotted key, in schema order (values may be null). */
    public Map<String, Object> asMap() {
        return values;
    }

    public Object get(String key) {
        return values.get(schema.key(key).name());
    }

    /** True when a nullable key is unset (the reference's {@code None}). */
    public boolean isNull(String key) {
        return get(key) == null;
    }

    public int getInt(String key) {
        return (Integer) nonNull(key, ConfigType.INT);
    }

    /** @throws IllegalStateException if the key is unset; check {@link #isNull} for nullable keys */
    public double getDouble(String key) {
        return (Double) nonNull(key, ConfigType.DOUBLE);
    }

    public boolean getBool(String key) {
        return (Boolean) nonNull(key, ConfigType.BOOL);
    }

    /** Null only for nullable keys that are unset, e.g. REDUCTION_FN. */
    public String getString(String key) {
        return (String) typed(key, ConfigType.STRING);
    }

    /** Unmodifiable; null only for nullable keys that are unset, e.g. WEIGHT_SHARE.PLAN. */
    @SuppressWarnings("unchecked")
    public List<Integer> getIntList(String key) {
        return (List<Integer>) typed(key, ConfigType.INT_LIST);
    }

    /** Unmodifiable; null only for nullable keys that are unset. */
    @SuppressWarnings("unchecked")
    public List<Double> getDoubleList(String key) {
        return (List<Double>) typed(key, ConfigType.DOUBLE_LIST);
    }

    /**
     * Known keys that a file, option or override set although we do not act on them yet, in the
     * order they were first set, so a user learns their setting has no effect.
     */
    public List<String> ignoredKeys() {
        return ignored;
    }

    /** One line for the log, or empty when nothing was ignored. */
    public Optional<String> ignoredKeysWarning() {
        if (ignored.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("warning: these keys are read but not acted on yet: " + String.join(", ", ignored));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpinConfig other && schema == other.schema && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** Only the values that differ from the defaults, to keep logs short. */
    @Override
    public String toString() {
        StringJoiner sj = new StringJoiner(", ", "SpinConfig{", "}");
        for (ConfigKey key : schema.keys()) {
            Object v = values.get(key.name());
            if (!Objects.equals(v, key.defaultValue())) {
                sj.add(key.name() + "=" + v);
            }
        }
        return sj.toString();
    }

    private SpinConfig applyDocument(Object root, Source source) {
        Layer layer = new Layer();
        for (NestedValues.Entry e : NestedValues.flatten(root, schema, source)) {
            layer.set(e.key(), coerce(e.key(), e.raw(), source, Source.show(e.raw())));
        }
        return layer.build();
    }

    private static Object coerce(ConfigKey key, Object raw, Source source, String shown) {
        try {
            return key.coerce(raw);
        } catch (InvalidValue e) {
            throw new SpinException(source.at(key.name()) + ": expected " + e.expectation() + ", got " + shown);
        }
    }

    /** Command-line text to a raw value: YAML for typed keys, the text itself for strings. */
    private static Object parseText(ConfigKey key, String text) {
        String t = text.strip();
        if (t.isEmpty() || NULL_WORDS.contains(t)) {
            return null;
        }
        boolean quoted = t.startsWith("'") || t.startsWith("\"");
        if (key.type() == ConfigType.STRING && !quoted) {
            return t;
        }
        return YamlCodec.parseValue(t);
    }

    private Object typed(String key, ConfigType type) {
        ConfigKey k = schema.key(key);
        if (k.type() != type) {
            throw new IllegalArgumentException(key + " is a " + k.type() + " key, not " + type);
        }
        return values.get(key);
    }

    private Object nonNull(String key, ConfigType type) {
        Object v = typed(key, type);
        if (v == null) {
            throw new IllegalStateException(key + " is None; check isNull(key) first");
        }
        return v;
    }

    /** The next config being built: all values so far plus this layer's. */
    private final class Layer {
        private final Map<String, Object> next = new LinkedHashMap<>(values);
        private final Set<String> nextIgnored = new LinkedHashSet<>(ignored);

        void set(ConfigKey key, Object value) {
            next.put(key.name(), value);
            if (!key.actedOn()) {
                nextIgnored.add(key.name());
            }
        }

        SpinConfig build() {
            return new SpinConfig(schema, next, nextIgnored);
        }
    }
}
