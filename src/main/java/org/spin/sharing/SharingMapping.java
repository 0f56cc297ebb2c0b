package org.spin.sharing;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.spin.SpinException;

/**
 * Which layers form the group of one slot (the reference's {@code SHARING_MAPPING}).
 *
 * <p>With depth D and S slots: {@code SEQUENTIAL} gives contiguous groups (0,0,1,1,…);
 * {@code STRIDED} cycles through the slots (0,1,…,S−1,0,1,…); {@code RANDOM} is a seeded shuffle
 * of the sequential table.
 */
public enum SharingMapping {
    SEQUENTIAL,
    STRIDED,
    RANDOM;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SharingMapping parse(String value) {
        for (SharingMapping m : values()) {
            if (m.configName().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return m;
            }
        }
        throw new SpinException("sharing mapping '" + value + "' is not known; valid: " + choices());
    }

    static String choices() {
        return Arrays.stream(values()).map(SharingMapping::configName).collect(Collectors.joining(", "));
    }
}
