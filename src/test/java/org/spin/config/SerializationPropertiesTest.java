package org.spin.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any config reachable through overrides survives JSON and YAML serialisation unchanged. */
class SerializationPropertiesTest {

    @Property(tries = 300)
    void jsonRoundTripPreservesEveryValue(@ForAll("configs") SpinConfig cfg) {
        assertThat(SpinConfig.fromJson(cfg.toJson())).isEqualTo(cfg);
    }

    @Property(tries = 300)
    void yamlRoundTripPreservesEveryValue(@ForAll("configs") SpinConfig cfg) {
        assertThat(SpinConfig.defaults().withYamlText(cfg.toYaml(), "dump")).isEqualTo(cfg);
    }

    @Property(tries = 100)
    void jsonOfARoundTripIsIdentical(@ForAll("configs") SpinConfig cfg) {
        assertThat(SpinConfig.fromJson(cfg.toJson()).toJson()).isEqualTo(cfg.toJson());
    }

    @Provide
    Arbitrary<SpinConfig> configs() {
        List<ConfigKey> keys = SpinSchema.get().keys();
        Arbitrary<List<String>> pair = Arbitraries.of(keys).flatMap(k -> valueText(k).map(v -> List.of(k.name(), v)));
        return pair.list().ofMaxSize(12).map(pairs -> {
            List<String> flat = new ArrayList<>();
            pairs.forEach(flat::addAll);
            return SpinConfig.defaults().withOverrides(flat);
        });
    }

    private static Arbitrary<String> valueText(ConfigKey key) {
        Arbitrary<String> value = switch (key.type()) {
            case INT -> Arbitraries.integers().map(String::valueOf);
            case DOUBLE -> Arbitraries.oneOf(
                    Arbitraries.doubles().map(String::valueOf),
                    Arbitraries.integers().between(-5, 5).map(i -> i + "e-" + (i + 5)));
            case BOOL -> Arbitraries.of("True", "False", "true", "false");
            case STRING -> key.choices().isEmpty()
                    ? Arbitraries.strings().all().ofMaxLength(12)
                            .filter(s -> !s.strip().startsWith("'") && !s.strip().startsWith("\""))
                    : Arbitraries.of(key.choices()).flatMap(c -> Arbitraries.of(c, c.toUpperCase(Locale.ROOT),
                            c.toLowerCase(Locale.ROOT)));
            case INT_LIST -> Arbitraries.integers().between(-3, 40).list().ofMaxSize(5)
                    .map(l -> l.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]")));
            case DOUBLE_LIST -> Arbitraries.doubles().list().ofMaxSize(4)
                    .map(l -> l.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]")));
        };
        if (key.nullable()) {
            return Combinators.combine(value, Arbitraries.integers().between(0, 4))
                    .as((v, coin) -> coin == 0 ? "None" : v);
        }
        return value;
    }
}
