package org.spin.model;

import java.util.List;
import java.util.stream.Collectors;
import org.spin.SpinException;
import org.spin.config.DidYouMean;

/** The registry of named models: every architecture's presets ({@code spin models} lists them). */
public final class Presets {

    private Presets() {}

    public static List<Preset> all() {
        return Models.architectures().stream().flatMap(a -> a.presets().stream()).toList();
    }

    public static Preset get(String name) {
        for (Preset p : all()) {
            if (p.name().equalsIgnoreCase(name.trim())) {
                return p;
            }
        }
        List<String> names = all().stream().map(Preset::name).toList();
        String hint = DidYouMean.suggest(name, names).map(s -> " (did you mean " + s + "?)").orElse("");
        throw new SpinException("--model " + name + " is not a preset" + hint + "; valid: "
                + names.stream().collect(Collectors.joining(", ")));
    }
}
