package org.spin.report;

import java.util.List;
import java.util.Optional;

/**
 * The sharing dimensions that get an ablation table when a sweep varies them, with the order
 * their values are listed in: the paper's default first, so the differences read as "against the
 * baseline". Values outside the list follow, numbers ascending, then text alphabetically.
 */
public enum AblationAxis {
    MAPPING("SHARING_MAPPING", "Sharing mapping", true, List.of("sequential", "strided", "random", "cycle_rev")),
    DISTRIBUTION("SHARING_DISTRIBUTION", "Sharing distribution", true, List.of("uniform", "front", "back", "middle")),
    SCOPE("SCOPE", "Sharing scope", true, List.of()),
    REDUCTION("REDUCTION_FN", "Reduction function (weight fusion)", true,
            List.of("none", "mean", "choose_first", "scalar_weighted_mean", "channel_weighted_mean")),
    RELAXATION("RELAXATION", "Relaxation", true, List.of("none", "dynamic", "lora")),
    // Rate 1 is the unshared model, so this axis compares unshared runs too.
    SHARE_RATE("SHARE_RATE", "Share rate", false, List.of());

    private final String key;
    private final String title;
    private final boolean sharedRunsOnly;
    private final List<String> order;

    AblationAxis(String key, String title, boolean sharedRunsOnly, List<String> order) {
        this.key = key;
        this.title = title;
        this.sharedRunsOnly = sharedRunsOnly;
        this.order = order;
    }

    public String title() {
        return title;
    }

    /**
     * Whether only runs that share weights count: a mapping, say, means nothing to an unshared
     * model, and a sweep crossing it with unshared runs would otherwise compare a model with itself.
     */
    boolean sharedRunsOnly() {
        return sharedRunsOnly;
    }

    /** The axis a setting key is on: {@code CONVMIXER.WEIGHT_SHARE.SHARE_RATE} is on the share rate. */
    public static Optional<AblationAxis> of(String settingKey) {
        for (AblationAxis axis : values()) {
            if (settingKey.equals(axis.key) || settingKey.endsWith("WEIGHT_SHARE." + axis.key)) {
                return Optional.of(axis);
            }
        }
        return Optional.empty();
    }

    /** A value as a column heading: no reduction function is the shared model trained from scratch. */
    String label(Object v) {
        return this == REDUCTION && v == null ? "none (from scratch)" : Format.setting(v);
    }

    /** Sorts values of this axis: none (null) first, then the known order, numbers, text. */
    int compare(Object a, Object b) {
        int byRank = Integer.compare(rank(a), rank(b));
        if (byRank != 0) {
            return byRank;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        return a == null ? 0 : String.valueOf(a).compareTo(String.valueOf(b));
    }

    private int rank(Object v) {
        if (v == null) {
            return -1;
        }
        int known = order.indexOf(String.valueOf(v));
        if (known >= 0) {
            return known;
        }
        return v instanceof Number ? order.size() : order.size() + 1;
    }
}
