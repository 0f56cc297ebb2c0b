package org.spin.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.spin.SpinException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A sweep file ({@code configs/sweeps/*.yaml}): a base config and the runs to make of it.
 *
 * @param base a config file under the sweep's runs, relative to the sweep file; null for none
 * @param preset a named model under {@code base}; null for none
 * @param set config values every run gets
 * @param grids each a map of axes (key → list of values), expanded to their product
 * @param points single runs, each a map of settings
 * @param output where runs go unless {@code --output} says otherwise
 */
public record SweepSpec(Path base, String preset, Map<String, Object> set, List<Map<String, List<Object>>> grids,
                        List<Map<String, Object>> points, Path output) {

    private static final Set<String> KEYS = Set.of("base", "preset", "set", "grid", "grids", "points", "output");
    /** Longest sweep file read, in code points; the repository's are a few kilobytes. */
    private static final int MAX_CODE_POINTS = 256 * 1024;

    public static SweepSpec read(Path file) {
        String text;
        try {
            // a YAML code point is at most 4 bytes; a larger file is not a sweep, however it parses
            long size = Files.size(file);
            if (size > 4L * MAX_CODE_POINTS) {
                throw new SpinException("sweep file " + file + " has " + size + " bytes, more than the "
                        + MAX_CODE_POINTS + " characters a sweep file may hold");
            }
            text = Files.readString(file);
        } catch (IOException e) {
            throw new SpinException("sweep file " + file + " cannot be read: " + SpinException.firstLine(e));
        }
        if (text.length() > MAX_CODE_POINTS && text.codePointCount(0, text.length()) > MAX_CODE_POINTS) {
            // SnakeYAML would check only at the end of a token, after quadratic copying (see YamlCodec)
            throw new SpinException("sweep file " + file + " has more than " + MAX_CODE_POINTS
                    + " characters; expected a sweep of a few kilobytes");
        }
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(loaderOptions())).load(text);
        } catch (MarkedYAMLException e) {
            // its message spreads over lines, the first of which is only the context ("while constructing a mapping")
            Mark mark = e.getProblemMark();
            throw new SpinException("sweep file " + file + " is not valid YAML"
                    + (mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1))
                    + ": " + SpinException.excerpt(String.valueOf(e.getProblem()).strip()));
        } catch (RuntimeException e) {
            throw new SpinException("sweep file " + file + " is not valid YAML: " + SpinException.firstLine(e));
        }
        if (!(doc instanceof Map<?, ?> top)) {
            throw new SpinException("sweep file " + file + " must be a mapping with grid/grids/points (see configs/sweeps/)");
        }
        for (Object k : top.keySet()) {
            if (k instanceof Map<?, ?> || k instanceof Collection<?> || !KEYS.contains(String.valueOf(k))) {
                throw new SpinException("sweep file " + file + ": unknown key "
                        + (k instanceof Map<?, ?> || k instanceof Collection<?> ? "(a collection)"
                                : SpinException.quoted(String.valueOf(k)))
                        + "; valid: " + String.join(", ", new java.util.TreeSet<>(KEYS)));
            }
        }
        Path dir = file.toAbsolutePath().getParent();
        String baseName = scalar(file, "base", top.get("base"));
        Path base = baseName == null ? null : path(file, "base", () -> dir.resolve(baseName));
        String preset = scalar(file, "preset", top.get("preset"));
        Map<String, Object> set = map(file, "set", top.get("set"));
        List<Map<String, List<Object>>> grids = new ArrayList<>();
        if (top.get("grid") != null) {
            grids.add(axes(file, "grid", top.get("grid")));
        }
        if (top.get("grids") instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                grids.add(axes(file, "grids[" + i + "]", list.get(i)));
            }
        } else if (top.get("grids") != null) {
            throw new SpinException("sweep file " + file + ": grids must be a list of grids");
        }
        List<Map<String, Object>> points = new ArrayList<>();
        if (top.get("points") instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                points.add(map(file, "points[" + i + "]", list.get(i)));
            }
        } else if (top.get("points") != null) {
            throw new SpinException("sweep file " + file + ": points must be a list of settings maps");
        }
        if (grids.isEmpty() && points.isEmpty()) {
            throw new SpinException("sweep file " + file + " defines no runs; give a grid, grids or points");
        }
        String outputName = scalar(file, "output", top.get("output"));
        Path output = outputName == null ? null : path(file, "output", () -> Path.of(outputName));
        return new SweepSpec(base, preset, set, grids, points, output);
    }

    /**
     * The loader's limits: sweep files are a few kilobytes of plain mappings, so a duplicated key
     * is a mistake to report rather than a value to drop, and aliases, nesting and size are capped
     * as for config files (an alias "bomb" would otherwise expand to gigabytes of run settings).
     */
    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(50);
        options.setCodePointLimit(MAX_CODE_POINTS);
        return options;
    }

    /** A value that must be a plain string or number (a name, a path), or null when absent. */
    private static String scalar(Path file, String what, Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Map<?, ?> || o instanceof Collection<?>) {
            throw new SpinException("sweep file " + file + ": " + what + " must be a single value, not "
                    + (o instanceof Map<?, ?> ? "a mapping" : "a list"));
        }
        return String.valueOf(o);
    }

    private static Path path(Path file, String what, java.util.function.Supplier<Path> path) {
        try {
            return path.get();
        } catch (InvalidPathException e) {
            throw new SpinException("sweep file " + file + ": " + what + " is not a valid path ("
                    + SpinException.firstLine(e) + ")");
        }
    }

    private static Map<String, Object> map(Path file, String what, Object o) {
        if (o == null) {
            return Map.of();
        }
        if (!(o instanceof Map<?, ?> m)) {
            throw new SpinException("sweep file " + file + ": " + what + " must be a mapping of KEY: value");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(key(file, what, k), v));
        return out;
    }

    /** A config key; YAML also allows a list or a mapping as a key, which names none. */
    private static String key(Path file, String what, Object k) {
        if (k instanceof Map<?, ?> || k instanceof Collection<?>) {
            throw new SpinException("sweep file " + file + ": " + what + " has " + (k instanceof Map<?, ?> ? "a mapping"
                    : "a list") + " as a key; expected config keys");
        }
        return String.valueOf(k);
    }

    private static Map<String, List<Object>> axes(Path file, String what, Object o) {
        Map<String, List<Object>> out = new LinkedHashMap<>();
        map(file, what, o).forEach((k, v) -> {
            // a bare value is a one-value axis, None included (KEY: ~ means KEY: [~])
            List<Object> values = v instanceof List<?> l ? new ArrayList<>(l) : Collections.singletonList(v);
            if (values.isEmpty()) {
                throw new SpinException("sweep file " + file + ": " + what + " axis " + SpinException.excerpt(k)
                        + " has no values");
            }
            out.put(k, values);
        });
        return out;
    }
}
