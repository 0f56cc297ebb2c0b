package org.spin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.spin.SpinException;
import org.spin.cli.CliTest.Outcome;
import org.spin.config.SpinConfig;
import org.spin.sharing.PlanConfig;
import org.spin.sharing.SharingDistribution;
import org.spin.sharing.SharingMapping;
import org.spin.sharing.SharingPlan;

/**
 * The tables in {@code docs/sharing-plans.md} are what the code produces today. Each block between
 * {@code <!-- generated: SPEC -->} and {@code <!-- end generated -->} is rebuilt from its SPEC;
 * the prose around them is hand-written. {@code SPIN_WRITE_DOCS=1} rewrites the blocks in place
 * instead of comparing (then review the diff).
 */
class SharingPlansDocTest {

    private static final Path DOC = Path.of("docs/sharing-plans.md");
    private static final Pattern BLOCK =
            Pattern.compile("(<!-- generated: (.*?) -->\n)(.*?)(<!-- end generated -->)", Pattern.DOTALL);
    private static final String WS = "CONVMIXER.WEIGHT_SHARE.";

    @Test
    void generatedBlocksEqualWhatTheCodeProducesToday() throws IOException {
        String doc = Files.readString(DOC);
        String regenerated = regenerate(doc);
        if ("1".equals(System.getenv("SPIN_WRITE_DOCS"))) {
            Files.writeString(DOC, regenerated);
            return; // review the change with git diff
        }
        assertThat(doc).as("docs/sharing-plans.md is stale; rerun with SPIN_WRITE_DOCS=1 and review the diff")
                .isEqualTo(regenerated);
    }

    @Test
    void theDocumentHasEveryTable() throws IOException {
        assertThat(BLOCK.matcher(Files.readString(DOC)).results().map(m -> m.group(2)).toList())
                .contains("tables 8 2", "tables 32 2", "tables 32 4", "errors");
    }

    private static String regenerate(String doc) {
        Matcher m = BLOCK.matcher(doc);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + generate(m.group(2)) + m.group(4)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String generate(String spec) {
        List<String> w = List.of(spec.trim().split("\\s+"));
        return switch (w.get(0)) {
            case "tables" -> tables(Integer.parseInt(w.get(1)), Integer.parseInt(w.get(2)));
            case "group-sizes" -> groupSizes(Integer.parseInt(w.get(1)), w.get(2));
            case "valid-rates" -> validRates(w.subList(1, w.size()).stream().map(Integer::parseInt).toList());
            case "spin" -> cli(w.subList(1, w.size()));
            case "errors" -> errors();
            default -> throw new IllegalArgumentException("unknown generated block '" + spec + "'");
        };
    }

    /** Every distribution × mapping at one depth and rate; random with seed 0. */
    private static String tables(int depth, int rate) {
        StringBuilder sb = new StringBuilder("| distribution | mapping | group sizes (slot 0, 1, …) | layer → slot (layer 0, 1, …) |\n"
                + "|---|---|---|---|\n");
        for (SharingDistribution d : SharingDistribution.values()) {
            for (SharingMapping m : SharingMapping.values()) {
                sb.append("| ").append(d.configName()).append(" | ").append(m.configName()).append(" | ");
                try {
                    SharingPlan p = SharingPlan.create(depth, rate, d, m, 0);
                    sb.append(join(d.groupSizes(depth, rate))).append(" | `").append(p).append("` |\n");
                } catch (SpinException e) {
                    if (!e.getMessage().startsWith(m.configName() + " mapping needs a uniform distribution")) {
                        throw e; // a table row only explains this one refusal
                    }
                    sb.append(join(d.groupSizes(depth, rate))).append(" | invalid: ").append(m.configName())
                            .append(" needs a uniform distribution ([error](#invalid-combinations)) |\n");
                }
            }
        }
        return sb.toString();
    }

    private static String groupSizes(int depth, String sizes) {
        int[] g = Arrays.stream(sizes.split(",")).mapToInt(Integer::parseInt).toArray();
        StringBuilder sb = new StringBuilder("| mapping | layer → slot (layer 0, 1, …) |\n|---|---|\n");
        for (SharingMapping m : SharingMapping.values()) {
            sb.append("| ").append(m.configName()).append(" | ");
            try {
                SharingPlan p = SharingPlan.create(depth, g, m, 0);
                sb.append('`').append(p).append("` |\n");
            } catch (SpinException e) {
                if (!e.getMessage().startsWith(m.configName() + " mapping needs a uniform distribution")) {
                    throw e;
                }
                sb.append("invalid: ").append(m.configName())
                        .append(" needs equal group sizes ([error](#invalid-combinations)) |\n");
            }
        }
        return sb.toString();
    }

    private static String validRates(List<Integer> depths) {
        StringBuilder sb = new StringBuilder("| distribution |");
        depths.forEach(d -> sb.append(" depth ").append(d).append(" |"));
        sb.append("\n|---|").append("---|".repeat(depths.size())).append('\n');
        for (SharingDistribution dist : SharingDistribution.values()) {
            sb.append("| ").append(dist.configName()).append(" |");
            depths.forEach(d -> sb.append(' ').append(dist.validRates(d)).append(" |"));
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String cli(List<String> args) {
        Outcome o = CliTest.run(args.toArray(String[]::new));
        return "```\n$ spin " + String.join(" ", args) + "\n" + o.out() + o.err() + "```\n";
    }

    /** Settings that are refused, with the exact message a config (or {@code spin plan}) gives. */
    private static String errors() {
        List<Map<String, Object>> settings = List.of(
                keys(8, "SHARE_RATE", 3),
                keys(8, "SHARE_RATE", 8, "SHARING_DISTRIBUTION", "front"),
                keys(6, "SHARE_RATE", 2, "SHARING_DISTRIBUTION", "back"),
                keys(8, "SHARE_RATE", 4, "SHARING_DISTRIBUTION", "middle"),
                keys(12, "SHARE_RATE", 2, "SHARING_DISTRIBUTION", "middle"),
                keys(8, "SHARE_RATE", 2, "SHARING_DISTRIBUTION", "front", "SHARING_MAPPING", "strided"),
                keys(8, "SHARE_RATE", 2, "SHARING_DISTRIBUTION", "back", "SHARING_MAPPING", "cycle_rev"),
                keys(8, "GROUP_SIZES", List.of(3, 1, 1, 3), "SHARING_MAPPING", "strided"),
                keys(8, "GROUP_SIZES", List.of(3, 1, 1, 2)),
                keys(8, "GROUP_SIZES", List.of(4, 0, 4)),
                keys(8, "ENABLE", false, "GROUP_SIZES", List.of(3, 1, 1, 3)));
        StringBuilder sb = new StringBuilder("| depth | WEIGHT_SHARE keys | error |\n|---|---|---|\n");
        for (Map<String, Object> s : settings) {
            int depth = (Integer) s.remove("depth");
            SpinConfig cfg = SpinConfig.defaults().with(WS + "ENABLE", true);
            for (Map.Entry<String, Object> e : s.entrySet()) {
                cfg = cfg.with(WS + e.getKey(), e.getValue());
            }
            String shown = s.entrySet().stream().map(e -> e.getKey() + ": " + yaml(e.getValue()))
                    .collect(Collectors.joining(", "));
            String message;
            try {
                throw new AssertionError("expected " + shown + " at depth " + depth + " to be refused, got plan "
                        + PlanConfig.from(cfg, "CONVMIXER", depth));
            } catch (SpinException e) {
                message = e.getMessage();
            }
            sb.append("| ").append(depth).append(" | `").append(shown).append("` | ").append(message).append(" |\n");
        }
        return sb.toString();
    }

    private static Map<String, Object> keys(int depth, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("depth", depth);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String yaml(Object v) {
        return v instanceof List<?> l ? l.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"))
                : String.valueOf(v);
    }

    private static String join(int[] xs) {
        return Arrays.stream(xs).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }
}
