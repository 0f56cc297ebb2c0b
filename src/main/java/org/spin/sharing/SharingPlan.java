package org.spin.sharing;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.spin.SpinException;

/**
 * The layer-to-slot table of cross-layer weight sharing: layer {@code i} uses the weights of slot
 * {@code slotOf(i)}. Immutable and free of DJL types, so it can be built, printed and tested on its
 * own. The number of slots S is the number of distinct weights; D / S is the share rate (the mean
 * group size).
 */
public final class SharingPlan {

    private final int[] slots;
    private final int numSlots;

    private SharingPlan(int[] slots) {
        this.slots = slots;
        this.numSlots = validate(slots);
    }

    /** Every layer its own slot: the unshared model. */
    public static SharingPlan unshared(int depth) {
        requireDepth(depth);
        int[] t = new int[depth];
        Arrays.setAll(t, i -> i);
        return new SharingPlan(t);
    }

    /**
     * Builds the plan the reference's {@code WEIGHT_SHARE} keys describe: the distribution gives
     * each slot's group size, the mapping decides which layers form each group. Every
     * distribution at rate r uses S = depth / r slots, so the parameter budget depends on r alone.
     *
     * @param seed only used by {@link SharingMapping#RANDOM}: the same seed gives the same table
     */
    public static SharingPlan create(int depth, int shareRate, SharingDistribution distribution,
                                     SharingMapping mapping, long seed) {
        requireDepth(depth);
        if (shareRate < 1 || shareRate > depth) {
            throw new SpinException("share rate " + shareRate + " must be between 1 and depth " + depth
                    + "; valid: " + distribution.validRates(depth));
        }
        return new SharingPlan(mapping.assign(distribution.groupSizes(depth, shareRate), seed,
                "the " + distribution.configName() + " distribution gives"));
    }

    /**
     * Builds a plan from explicit group sizes ({@code WEIGHT_SHARE.GROUP_SIZES}): slot s serves
     * {@code groupSizes[s]} layers, so there are as many slots as sizes.
     *
     * @throws SpinException when a size is not positive or the sizes do not sum to {@code depth}
     */
    public static SharingPlan create(int depth, int[] groupSizes, SharingMapping mapping, long seed) {
        requireDepth(depth);
        String text = Arrays.stream(groupSizes).mapToObj(Integer::toString).collect(Collectors.joining(","));
        if (groupSizes.length == 0) {
            throw new SpinException("group sizes are empty; give one positive size per slot, summing to depth " + depth);
        }
        for (int s = 0; s < groupSizes.length; s++) {
            if (groupSizes[s] < 1) {
                throw new SpinException("group sizes " + text + " hold " + groupSizes[s] + " for slot " + s
                        + "; every slot must serve at least one layer");
            }
        }
        int sum = Arrays.stream(groupSizes).sum();
        if (sum != depth) {
            throw new SpinException("group sizes " + text + " sum to " + sum + " but depth is " + depth
                    + "; each size is how many layers a slot serves, so they must add up to the depth");
        }
        return new SharingPlan(mapping.assign(groupSizes.clone(), seed, "got"));
    }

    /** An explicit table such as {@code "0,0,1,1"}; slots must be 0..S−1, each used. */
    public static SharingPlan parse(String table) {
        String body = table.trim();
        if (body.startsWith("[") && body.endsWith("]")) {
            body = body.substring(1, body.length() - 1);
        }
        try {
            return of(Arrays.stream(body.split("[,\\s]+")).filter(s -> !s.isEmpty())
                    .mapToInt(Integer::parseInt).toArray());
        } catch (NumberFormatException e) {
            throw new SpinException("sharing plan '" + table + "' is not a list of slot numbers such as 0,0,1,1");
        }
    }

    public static SharingPlan of(int... slots) {
        return new SharingPlan(slots.clone());
    }

    public static SharingPlan of(List<Integer> slots) {
        return new SharingPlan(slots.stream().mapToInt(Integer::intValue).toArray());
    }

    public int depth() {
        return slots.length;
    }

    public int numSlots() {
        return numSlots;
    }

    public int slotOf(int layer) {
        return slots[layer];
    }

    /** The layers that use {@code slot}, in layer order (its fusion group). */
    public int[] layersOf(int slot) {
        return java.util.stream.IntStream.range(0, slots.length).filter(i -> slots[i] == slot).toArray();
    }

    public boolean isShared() {
        return numSlots < slots.length;
    }

    public int[] toArray() {
        return slots.clone();
    }

    /** The table in the syntax {@link #parse} reads, e.g. {@code 0,0,1,1}. */
    @Override
    public String toString() {
        return Arrays.stream(slots).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SharingPlan p && Arrays.equals(slots, p.slots);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(slots);
    }

    private static void requireDepth(int depth) {
        if (depth < 1) {
            throw new SpinException("depth " + depth + " must be at least 1");
        }
    }

    private static int validate(int[] slots) {
        if (slots.length == 0) {
            throw new SpinException("sharing plan is empty; it needs one slot number per layer");
        }
        for (int s : slots) {
            if (s < 0) {
                throw new SpinException("sharing plan " + Arrays.toString(slots).replace(" ", "")
                        + " has negative slot " + s);
            }
        }
        int max = Arrays.stream(slots).max().getAsInt();
        if (max >= slots.length) {
            throw new SpinException("sharing plan " + Arrays.toString(slots).replace(" ", "") + " uses slot " + max
                    + " but has only " + slots.length + " layers; slots must be numbered 0..S-1 with S <= depth");
        }
        boolean[] used = new boolean[max + 1];
        for (int s : slots) {
            used[s] = true;
        }
        for (int s = 0; s <= max; s++) {
            if (!used[s]) {
                throw new SpinException("sharing plan " + Arrays.toString(slots).replace(" ", "")
                        + " never uses slot " + s + "; slots must be numbered 0.." + max + " without gaps");
            }
        }
        return max + 1;
    }
}
