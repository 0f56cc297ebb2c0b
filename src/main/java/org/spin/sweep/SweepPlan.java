package org.spin.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.spin.SpinException;
import org.spin.config.SpinConfig;

/**
 * The runs of a sweep, pure: grids expanded to their products, points added, the same run listed
 * once, each named from its settings, and fusion runs linked to their teachers, which come first.
 *
 * <p>Sharing axes mean nothing for an unshared run: a run at share rate 1 (or with sharing off)
 * drops every {@code WEIGHT_SHARE} setting but the rate, so a grid over rate × mapping holds one
 * unshared run, not one per mapping. Runs with the same config are one run (an unshared grid's
 * {@code w64_d8_s0} is the rate axis' {@code w64_d8_r1_s0}), named from the fuller settings. A fusion
 * run's teacher is the run with its settings minus the {@code WEIGHT_SHARE} ones. The base config
 * should not share. {@code SHARE_RATE} turns sharing on when above 1.
 */
public final class SweepPlan {

    private SweepPlan() {}

    /**
     * @param configOf the full config of a run's settings (the base with them applied); it
     *     validates keys and values, so a typo fails before anything runs
     */
    public static List<SweepRun> runs(SweepSpec spec, Function<Map<String, Object>, SpinConfig> configOf) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Map<String, List<Object>> grid : spec.grids()) {
            all.addAll(product(grid));
        }
        all.addAll(spec.points());
        // one run per distinct config: a grid without a seed axis and one with RNG_SEED [0] name the
        // same model; it keeps the fuller settings (and so the name with the seed)
        Map<Map<String, Object>, Map<String, Object>> byConfig = new LinkedHashMap<>();
        for (Map<String, Object> s : all) {
            Map<String, Object> canonical = canonical(s, configOf.apply(s));
            byConfig.merge(configOf.apply(canonical).asMap(), canonical, (a, b) -> b.size() > a.size() ? b : a);
        }
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        Map<String, SpinConfig> configs = new LinkedHashMap<>();
        for (Map<String, Object> canonical : byConfig.values()) {
            String name = name(canonical);
            Map<String, Object> previous = byName.putIfAbsent(name, canonical);
            if (previous != null) {
                throw new SpinException("sweep: runs " + previous + " and " + canonical + " get the same name " + name);
            }
            configs.put(name, configOf.apply(canonical));
        }
        List<SweepRun> teachers = new ArrayList<>();
        List<SweepRun> rest = new ArrayList<>();
        Map<String, String> teacherOf = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Object>> e : byName.entrySet()) {
            if (!fuses(configs.get(e.getKey()))) {
                continue;
            }
            Map<String, Object> t = teacherSettings(e.getValue());
            Map<String, Object> found = byConfig.get(configOf.apply(t).asMap());
            String teacher = found == null ? null : name(found);
            if (teacher == null || fuses(configs.get(teacher))) {
                throw new SpinException("sweep: fusion run " + e.getKey() + " needs its teacher, the unshared run " + t
                        + ", which the sweep does not hold; add share rate 1 to its grid (or the unshared run as a point)");
            }
            teacherOf.put(e.getKey(), teacher);
        }
        for (Map.Entry<String, Map<String, Object>> e : byName.entrySet()) {
            SweepRun run = new SweepRun(e.getKey(), e.getValue(), teacherOf.get(e.getKey()));
            (teacherOf.containsValue(e.getKey()) ? teachers : rest).add(run);
        }
        teachers.addAll(rest);
        return teachers;
    }

    /** Run {@code index} of a sweep belongs to shard {@code index mod count}; the list order is the same on every machine. */
    public static List<SweepRun> shard(List<SweepRun> runs, int shard, int count) {
        List<SweepRun> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            if (i % count == shard) {
                out.add(runs.get(i));
            }
        }
        return out;
    }

    /** {@code "i/n"} with 0 ≤ i < n. */
    public static int[] parseShard(String text) {
        String[] parts = text.trim().split("/");
        try {
            int i = Integer.parseInt(parts[0].trim());
            int n = Integer.parseInt(parts[1].trim());
            if (parts.length == 2 && n >= 1 && i >= 0 && i < n) {
                return new int[] {i, n};
            }
        } catch (RuntimeException e) {
            // fall through to the message
        }
        throw new SpinException("--shard " + text + " must be i/n with 0 <= i < n, e.g. 0/4 (0-based)");
    }

    /**
     * The shard of a Slurm array task, {@code --shard auto}: index {@code SLURM_ARRAY_TASK_ID}
     * counted from {@code SLURM_ARRAY_TASK_MIN}, of {@code SLURM_ARRAY_TASK_COUNT} (or max − min + 1).
     *
     * @throws SpinException when {@code env} is not a Slurm array task's
     */
    public static int[] slurmShard(Map<String, String> env) {
        String id = env.get("SLURM_ARRAY_TASK_ID");
        if (id == null || id.isBlank()) {
            throw new SpinException("--shard auto: SLURM_ARRAY_TASK_ID is not set, so this is not a Slurm array task;"
                    + " give --shard i/n");
        }
        try {
            int task = Integer.parseInt(id.trim());
            int min = Integer.parseInt(env.getOrDefault("SLURM_ARRAY_TASK_MIN", "0").trim());
            String count = env.get("SLURM_ARRAY_TASK_COUNT");
            int n = count != null ? Integer.parseInt(count.trim())
                    : Integer.parseInt(env.getOrDefault("SLURM_ARRAY_TASK_MAX", id).trim()) - min + 1;
            int i = task - min;
            if (n >= 1 && i >= 0 && i < n) {
                return new int[] {i, n};
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new SpinException("--shard auto: SLURM_ARRAY_TASK_ID " + id + " (min " + env.get("SLURM_ARRAY_TASK_MIN")
                + ", count " + env.get("SLURM_ARRAY_TASK_COUNT") + ", max " + env.get("SLURM_ARRAY_TASK_MAX")
                + ") is not a task of a contiguous array; use --array=0-N (no step) or give --shard i/n");
    }

    /** The owner of run {@code name} among {@code count} shards. */
    public static int shardOf(List<SweepRun> runs, String name, int count) {
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i).name().equals(name)) {
                return i % count;
            }
        }
        return -1;
    }

    static List<Map<String, Object>> product(Map<String, List<Object>> axes) {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<Object>> axis : axes.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> partial : out) {
                for (Object v : axis.getValue()) {
                    Map<String, Object> m = new LinkedHashMap<>(partial);
                    m.put(axis.getKey(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    private static boolean sharingKey(String key) {
        return key.contains(".WEIGHT_SHARE.");
    }

    private static Map<String, Object> canonical(Map<String, Object> s, SpinConfig cfg) {
        if (shares(cfg)) {
            return s;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        s.forEach((k, v) -> {
            if (!sharingKey(k)) {
                out.put(k, v);
            } else if (k.endsWith(".SHARE_RATE")) {
                out.put(k, 1); // kept, so a share-rate ablation finds the unshared model at rate 1
            }
        });
        return out;
    }

    private static Map<String, Object> teacherSettings(Map<String, Object> s) {
        Map<String, Object> out = new LinkedHashMap<>();
        s.forEach((k, v) -> {
            if (!sharingKey(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static String section(SpinConfig cfg) {
        return org.spin.model.Models.weightShare(cfg);
    }

    /** {@link org.spin.model.Models#shares}; a config whose plan cannot be built keeps its settings and fails as a run. */
    static boolean shares(SpinConfig cfg) {
        try {
            return org.spin.model.Models.shares(cfg);
        } catch (org.spin.SpinException badPlan) {
            return true;
        }
    }

    static boolean fuses(SpinConfig cfg) {
        String r = cfg.getString(section(cfg) + "REDUCTION_FN");
        return shares(cfg) && r != null && !r.isBlank() && !r.equalsIgnoreCase("none");
    }

    /** {@code w64_d8_r2_strided_s0}: short names for the common axes, {@code leaf-value} for the rest. */
    public static String name(Map<String, Object> settings) {
        List<String> parts = new ArrayList<>();
        settings.forEach((k, v) -> {
            String leaf = k.substring(k.lastIndexOf('.') + 1);
            String value = v instanceof List<?> l ? String.join("-", l.stream().map(String::valueOf).toList())
                    : String.valueOf(v);
            parts.add(switch (leaf) {
                case "CHANNEL", "EMBED_DIM", "DIM" -> "w" + value;
                case "DEPTH" -> "d" + value;
                case "SHARE_RATE" -> "r" + value;
                case "RNG_SEED" -> "s" + value;
                case "SHARING_MAPPING", "SHARING_DISTRIBUTION", "SCOPE", "RELAXATION" -> value;
                case "REDUCTION_FN" -> "fuse-" + value;
                case "ARCH" -> value;
                default -> leaf.toLowerCase(Locale.ROOT) + "-" + value;
            });
        });
        String name = String.join("_", parts).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
        return name.isEmpty() ? "base" : name;
    }
}
