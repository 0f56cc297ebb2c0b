package org.spin.cli;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.spin.SpinException;
import org.spin.sharing.SharingDistribution;
import org.spin.sharing.SharingMapping;
import org.spin.sharing.SharingPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Shows the layer-to-slot table a sharing setting gives, and the explicit
 * {@code WEIGHT_SHARE.PLAN} line that pins it in a config. Needs no engine: a plan is a pure
 * function of its inputs.
 */
@Command(name = "plan", description = "Print the layer-to-slot table of a sharing setting and its WEIGHT_SHARE.PLAN line.")
final class PlanCommand implements Callable<Integer> {

    @Option(names = "--depth", required = true, paramLabel = "D", description = "Number of layers.")
    int depth;

    @Option(names = "--share-rate", paramLabel = "R", description = "Layers per slot on average; slots = D / R.")
    Integer shareRate;

    @Option(names = "--distribution", paramLabel = "DIST",
            description = "How many layers each slot serves: uniform, front, back or middle (default uniform).")
    String distribution;

    @Option(names = "--mapping", defaultValue = "sequential", paramLabel = "M",
            description = "Which layers share a slot: sequential, strided, random or cycle_rev (default sequential).")
    String mapping;

    @Option(names = "--group-sizes", split = ",", paramLabel = "N,N,...",
            description = "Layers each slot serves, e.g. 3,1,1,3 (summing to D); replaces --share-rate and --distribution.")
    List<Integer> groupSizes;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "Seed of the random mapping (default 0).")
    long seed;

    @Override
    public Integer call() {
        SharingMapping m = SharingMapping.parse(mapping);
        SharingPlan plan;
        String setting;
        if (groupSizes != null) {
            if (shareRate != null || distribution != null) {
                throw new SpinException("plan: --group-sizes replaces --share-rate and --distribution (the sizes are"
                        + " the distribution); give one or the other");
            }
            plan = SharingPlan.create(depth, groupSizes.stream().mapToInt(Integer::intValue).toArray(), m, seed);
            setting = "group sizes " + groupSizes.stream().map(String::valueOf).collect(Collectors.joining(","));
        } else {
            if (shareRate == null) {
                throw new SpinException("plan: give --share-rate R (layers per slot) or --group-sizes N,N,...");
            }
            SharingDistribution d = distribution == null ? SharingDistribution.UNIFORM
                    : SharingDistribution.parse(distribution);
            plan = SharingPlan.create(depth, shareRate, d, m, seed);
            setting = "share rate " + shareRate + ", " + d.configName() + " distribution";
        }
        String seedNote = m == SharingMapping.RANDOM ? " (seed " + seed + ")" : "";
        System.out.print(render(plan, "depth " + depth + ", " + setting + ", " + m.configName() + " mapping" + seedNote));
        return 0;
    }

    /** The table the command prints: a title, one row per layer with its slot's whole group, the PLAN line. */
    static String render(SharingPlan plan, String title) {
        StringBuilder sb = new StringBuilder();
        sb.append(title).append(": ").append(plan.numSlots()).append(" slots for ").append(plan.depth())
                .append(" layers\n");
        sb.append(String.format("%5s  %4s  %s\n", "layer", "slot", "group (layers sharing the slot)"));
        for (int layer = 0; layer < plan.depth(); layer++) {
            int slot = plan.slotOf(layer);
            sb.append(String.format("%5d  %4d  %s\n", layer, slot, join(plan.layersOf(slot))));
        }
        sb.append("WEIGHT_SHARE.PLAN: [").append(plan).append("]\n");
        return sb.toString();
    }

    private static String join(int[] layers) {
        return Arrays.stream(layers).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }
}
