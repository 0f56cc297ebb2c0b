package org.spin.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spin.sweep.RunResult;

/** The measured runs of a sweep as models: seeds of one configuration folded into one point. */
public final class ModelFamily {

    private ModelFamily() {}

    /**
     * One point per configuration (settings without the seed, and how the weights came about),
     * with top-1 over its seeds; failed and running runs are left out. Cost is the first seed's:
     * the seed changes no shape.
     */
    public static List<FamilyPoint> of(List<RunResult> runs) {
        Map<List<Object>, List<RunResult>> byModel = new LinkedHashMap<>();
        for (RunResult run : runs) {
            if (!run.measured()) {
                continue;
            }
            Map<String, Object> settings = new LinkedHashMap<>(run.settings());
            settings.keySet().removeIf(RunResult::isSeedKey);
            // Arrays.asList, not List.of: arch may be null. Not the teacher: each seed of a fusion
            // model has its own (the unshared run of that seed), named by the same settings.
            List<Object> key = Arrays.asList(settings, ModelKind.of(run), run.arch());
            byModel.computeIfAbsent(key, k -> new ArrayList<>()).add(run);
        }
        List<FamilyPoint> points = new ArrayList<>();
        byModel.values().forEach(seeds -> {
            RunResult first = seeds.get(0);
            points.add(new FamilyPoint(ModelKind.of(first), seeds, first.uniqueParams(), first.flops(),
                    MeanStd.of(seeds.stream().map(RunResult::top1).toList())));
        });
        return points;
    }
}
