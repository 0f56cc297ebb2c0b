package org.spin.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.spin.SpinException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

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

    public static SweepSpec read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new SpinException("sweep file " + file + " cannot be read: " + e.getMessage());
        }
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (RuntimeException e) {
            throw new SpinException("sweep file " + file + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!(doc instanceof Map<?, ?> top)) {
            throw new SpinException("sweep file " + file + " must be a mapping with grid/grids/points (see configs/sweeps/)");
        }
        for (Object k : top.keySet()) {
            if (!KEYS.contains(String.valueOf(k))) {
                throw new SpinException("sweep file " + file + ": unknown key '" + k + "'; valid: " + String.join(", ",
                        new java.util.TreeSet<>(KEYS)));
            }
        }
        Path dir = file.toAbsolutePath().getParent();
        Path base = top.get("base") == null ? null : dir.resolve(String.valueOf(top.get("base")));
        String preset = top.get("preset") == null ? null : String.valueOf(top.get("preset"));
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
        Path output = top.get("output") == null ? null : Path.of(String.valueOf(top.get("output")));
        return new SweepSpec(base, preset, set, grids, points, output);
    }

    private static Map<String, Object> map(Path file, String what, Object o) {
        if (o == null) {
            return Map.of();
        }
        if (!(o instanceof Map<?, ?> m)) {
            throw new SpinException("sweep file " + file + ": " + what + " must be a mapping of KEY: value");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static Map<String, List<Object>> axes(Path file, String what, Object o) {
        Map<String, List<Object>> out = new LinkedHashMap<>();
        map(file, what, o).forEach((k, v) -> {
            List<Object> values = v instanceof List<?> l ? new ArrayList<>(l) : List.of(v);
            if (values.isEmpty()) {
                throw new SpinException("sweep file " + file + ": " + what + " axis " + k + " has no values");
            }
            out.put(k, values);
        });
        return out;
    }
}
