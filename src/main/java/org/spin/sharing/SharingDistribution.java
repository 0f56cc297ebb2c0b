package org.spin.sharing;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.spin.SpinException;

/**
 * How many layers each slot serves (the reference's {@code SHARING_DISTRIBUTION}). Only
 * {@code UNIFORM} (every slot serves exactly share-rate layers) exists in the reference; the
 * non-uniform distributions of the paper (front, middle, back) will add their group sizes here.
 */
public enum SharingDistribution {
    UNIFORM;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Group sizes, one per slot, in slot order; they sum to {@code depth}.
     *
     * @throws SpinException when the share rate cannot be realised at this depth
     */
    int[] groupSizes(int depth, int shareRate) {
        if (depth % shareRate != 0) {
            throw new SpinException("share rate " + shareRate + " does not divide depth " + depth
                    + " for a " + configName() + " distribution; valid: " + divisors(depth));
        }
        int[] sizes = new int[depth / shareRate];
        Arrays.fill(sizes, shareRate);
        return sizes;
    }

    public static SharingDistribution parse(String value) {
        for (SharingDistribution d : values()) {
            if (d.configName().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return d;
            }
        }
        throw new SpinException("sharing distribution '" + value + "' is not known; valid: "
                + Arrays.stream(values()).map(SharingDistribution::configName).collect(Collectors.joining(", ")));
    }

    static String divisors(int n) {
        StringBuilder sb = new StringBuilder();
        for (int d = 1; d <= n; d++) {
            if (n % d == 0) {
                sb.append(sb.length() == 0 ? "" : ", ").append(d);
            }
        }
        return sb.toString();
    }
}
