package org.spin.sharing;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.spin.SpinException;

/**
 * How many layers each slot serves (the reference's {@code SHARING_DISTRIBUTION}). With depth D,
 * share rate r and S = D / r slots, every distribution serves D layers with S slots, so the
 * parameter budget is the same for all of them; only where the sharing sits differs.
 *
 * <p>{@code UNIFORM} is the reference's only distribution. The paper names non-uniform ones
 * (front, middle, back) without defining them in a form we could find, so {@code FRONT},
 * {@code BACK} and {@code MIDDLE} are our definitions: half the slots serve 2r−1 layers and half
 * serve one, with the heavy slots first, last, or in the middle (Subformer's "sandwich";
 * the paper's middle-pyramid is {@code MIDDLE} with the sequential mapping). For r = 1 every
 * distribution is one layer per slot.
 */
public enum SharingDistribution {
    /** Every slot serves r layers. */
    UNIFORM,
    /** The first S/2 slots serve 2r−1 layers each, the last S/2 one layer each. */
    FRONT,
    /** The mirror of {@code FRONT}: S/2 single-layer slots, then S/2 slots of 2r−1 layers. */
    BACK,
    /** S/4 single-layer slots at each end around S/2 slots of 2r−1 layers. */
    MIDDLE;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Group sizes, one per slot, in slot order; they sum to {@code depth}.
     *
     * @throws SpinException when the share rate cannot be realised at this depth
     */
    public int[] groupSizes(int depth, int shareRate) {
        if (depth % shareRate != 0) {
            throw new SpinException("share rate " + shareRate + " does not divide depth " + depth
                    + " for a " + configName() + " distribution; valid: " + validRates(depth));
        }
        int slots = depth / shareRate;
        if (shareRate > 1 && slots % slotMultiple() != 0) {
            throw new SpinException("share rate " + shareRate + " at depth " + depth + " gives " + slots
                    + (slots == 1 ? " slot" : " slots") + "; a " + configName() + " distribution needs "
                    + (slotMultiple() == 2 ? "an even number of slots (half serve 2r-1 layers, half one layer)"
                            : "a multiple of 4 slots (a quarter at each end serve one layer, the middle half 2r-1)")
                    + "; valid: " + validRates(depth));
        }
        int heavy = 2 * shareRate - 1;
        int[] sizes = new int[slots];
        for (int s = 0; s < slots; s++) {
            sizes[s] = switch (this) {
                case UNIFORM -> shareRate;
                case FRONT -> s < slots / 2 ? heavy : 1;
                case BACK -> s < slots / 2 ? 1 : heavy;
                case MIDDLE -> s >= slots / 4 && s < slots - slots / 4 ? heavy : 1;
            };
        }
        return sizes;
    }

    /** The share rates this distribution can realise at {@code depth}, as an error message lists them. */
    public String validRates(int depth) {
        return IntStream.rangeClosed(1, depth)
                .filter(r -> depth % r == 0 && (r == 1 || (depth / r) % slotMultiple() == 0))
                .mapToObj(Integer::toString).collect(Collectors.joining(", "));
    }

    /** The slot count must be a multiple of this so the heavy and single-layer halves (quarters) are whole. */
    private int slotMultiple() {
        return switch (this) {
            case UNIFORM -> 1;
            case FRONT, BACK -> 2;
            case MIDDLE -> 4;
        };
    }

    public static SharingDistribution parse(String value) {
        for (SharingDistribution d : values()) {
            if (d.configName().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return d;
            }
        }
        throw new SpinException("sharing distribution '" + value + "' is not known; valid: " + choices());
    }

    /** The config names, comma-separated, in declaration order. */
    public static String choices() {
        return Arrays.stream(values()).map(SharingDistribution::configName).collect(Collectors.joining(", "));
    }
}
