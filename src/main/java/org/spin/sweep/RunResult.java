package org.spin.sweep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One run of a sweep as {@code spin sweep} writes it to {@code runs/NAME/result.json} ({@link ResultFile}).
 *
 * <p>{@code settings} holds only the swept keys (the sweep's axes), {@code config} the run's full
 * flat config. Setting and config values are {@link Long} (any integral JSON number), {@link Double},
 * {@link Boolean}, {@link String} or {@code null}, so that {@code 2} and {@code 2.0} are the same
 * setting. Measurements are {@code null} while a run is running or after it failed.
 *
 * @param macs multiply-accumulates per image; FLOPs are twice this
 * @param teacher the run distilled from, or {@code null}
 * @param imageSize the input side the run trained at, or {@code null} (files written before it was read)
 */
public record RunResult(String run, RunStatus status, String error, Map<String, Object> settings,
        Map<String, Object> config, String arch, boolean shared, boolean fusion, String teacher,
        Long uniqueParams, Long unsharedParams, Long macs, Double top1, Double top5, Double bestTop1,
        Integer epochs, Double wallSeconds, Integer imageSize) {

    /** The setting that seeds a run; runs differing only in it are repeats of one model. */
    public static final String SEED_KEY = "RNG_SEED";

    public RunResult {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(status, "status");
        // LinkedHashMap, not Map.copyOf: values may be null (REDUCTION_FN: null) and order is the sweep's.
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }

    /** Done, with the accuracy and cost that the figures and ablations need. */
    public boolean measured() {
        return status == RunStatus.DONE && top1 != null && uniqueParams != null && uniqueParams > 0;
    }

    /** FLOPs per image (2 x MACs), or {@code null} if unknown. */
    public Long flops() {
        return macs == null ? null : 2 * macs;
    }

    /** This run with {@code key} set to {@code value} among its settings (value may be null). */
    public RunResult withSetting(String key, Object value) {
        Map<String, Object> s = new LinkedHashMap<>(settings);
        s.put(key, value);
        return new RunResult(run, status, error, s, config, arch, shared, fusion, teacher, uniqueParams,
                unsharedParams, macs, top1, top5, bestTop1, epochs, wallSeconds, imageSize);
    }

    /** Whether {@code key} is the seed axis ({@code RNG_SEED}, with or without a section). */
    public static boolean isSeedKey(String key) {
        return key.equals(SEED_KEY) || key.endsWith("." + SEED_KEY);
    }
}
