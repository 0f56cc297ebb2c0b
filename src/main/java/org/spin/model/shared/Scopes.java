package org.spin.model.shared;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.spin.SpinException;

/**
 * What an architecture can share ({@code WEIGHT_SHARE.SCOPE}): its scope names, aliases that
 * stand for several, the default, and which scopes are norm layers (sharing those warns).
 *
 * @param names every scope, in the order the architecture's blocks use them
 * @param aliases a name standing for several scopes, e.g. {@code both} for pointwise and depthwise
 */
public record Scopes(String arch, List<String> names, Map<String, List<String>> aliases, String defaultValue,
                     Set<String> norms) {

    /** {@code value} as a set of scope names: comma-separated names or aliases; null means the default. */
    public Set<String> parse(String key, String value) {
        String v = value == null || value.isBlank() ? defaultValue : value;
        Set<String> out = new LinkedHashSet<>();
        for (String part : v.split("[,+\\s]+")) {
            String name = part.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (aliases.containsKey(name)) {
                out.addAll(aliases.get(name));
            } else if (names.contains(name)) {
                out.add(name);
            } else {
                throw new SpinException(key + " '" + value + "': " + name + " is not a scope of " + arch + "; valid: "
                        + String.join(", ", names) + (aliases.isEmpty() ? "" : ", or " + String.join(", ", aliases.keySet())));
            }
        }
        if (out.isEmpty()) {
            throw new SpinException(key + " is empty; name what to share, e.g. " + defaultValue);
        }
        return Set.copyOf(out);
    }

    public static List<String> list(String... names) {
        return Arrays.asList(names);
    }
}
