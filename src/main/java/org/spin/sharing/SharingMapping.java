package org.spin.sharing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;
import org.spin.SpinException;

/**
 * Which layers form the group of one slot (the reference's {@code SHARING_MAPPING}), given each
 * slot's group size from the distribution.
 *
 * <p>With depth D and S slots: {@code SEQUENTIAL} gives contiguous groups in slot order
 * (0,0,1,1,…); {@code STRIDED} cycles through the slots (0,1,…,S−1,0,1,…); {@code RANDOM} is a
 * seeded shuffle of the sequential table; {@code CYCLE_REV} is Takase &amp; Kiyono's "cycle (rev)"
 * (<a href="https://arxiv.org/abs/2104.06022">Lessons on Parameter Sharing across Layers in
 * Transformers</a>, 2021): cycle through the slots, but run the last S layers in reverse
 * (D=6, S=3: 0,1,2,2,1,0). Strided and cycle_rev give every slot D/S layers, so they need a
 * uniform distribution.
 */
public enum SharingMapping {
    SEQUENTIAL,
    STRIDED,
    RANDOM,
    CYCLE_REV;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The layer-to-slot table for these group sizes (one per slot, in slot order).
     *
     * @param seed only used by {@link #RANDOM}: the same seed gives the same table
     * @param source where the sizes came from, for errors, e.g. "the front distribution gives"
     * @throws SpinException when the mapping cannot realise the group sizes
     */
    int[] assign(int[] groupSizes, long seed, String source) {
        int depth = Arrays.stream(groupSizes).sum();
        int s = groupSizes.length;
        return switch (this) {
            case SEQUENTIAL -> sequential(groupSizes);
            case RANDOM -> shuffled(sequential(groupSizes), seed);
            case STRIDED -> {
                requireUniform(groupSizes, source, "layer l uses slot l mod S");
                int[] t = new int[depth];
                Arrays.setAll(t, l -> l % s);
                yield t;
            }
            case CYCLE_REV -> {
                requireUniform(groupSizes, source, "it cycles through the S slots and runs the last S layers in reverse");
                int[] t = new int[depth];
                // the first D−S layers cycle 0..S−1; the last S layers use S−1..0, so the top
                // layer shares its weights with the bottom one
                Arrays.setAll(t, l -> l < depth - s ? l % s : depth - 1 - l);
                yield t;
            }
        };
    }

    public static SharingMapping parse(String value) {
        for (SharingMapping m : values()) {
            if (m.configName().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return m;
            }
        }
        throw new SpinException("sharing mapping '" + value + "' is not known; valid: " + choices());
    }

    /** The config names, comma-separated, in declaration order. */
    public static String choices() {
        return Arrays.stream(values()).map(SharingMapping::configName).collect(Collectors.joining(", "));
    }

    private void requireUniform(int[] groupSizes, String source, String why) {
        for (int size : groupSizes) {
            if (size != groupSizes[0]) {
                throw new SpinException(configName() + " mapping needs a uniform distribution (" + why
                        + ", so every slot serves D/S layers); " + source + " group sizes "
                        + Arrays.stream(groupSizes).mapToObj(Integer::toString).collect(Collectors.joining(",")));
            }
        }
    }

    private static int[] sequential(int[] groupSizes) {
        int[] t = new int[Arrays.stream(groupSizes).sum()];
        int layer = 0;
        for (int slot = 0; slot < groupSizes.length; slot++) {
            for (int k = 0; k < groupSizes[slot]; k++) {
                t[layer++] = slot;
            }
        }
        return t;
    }

    private static int[] shuffled(int[] sequential, long seed) {
        // java.util.Random's sequence is specified by the JLS, so a seed gives the same table on
        // every JVM: a plan written into a checkpoint can be rebuilt from its seed.
        List<Integer> list = new ArrayList<>();
        for (int v : sequential) {
            list.add(v);
        }
        Collections.shuffle(list, new Random(seed));
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
