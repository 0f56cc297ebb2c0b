package org.spin.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spin.sweep.RunResult;
import org.spin.sweep.SweepPlan;

/**
 * One model of the family figures: the runs of one configuration over its seeds.
 *
 * @param flops per image, or {@code null} when the runs did not record MACs
 */
public record FamilyPoint(ModelKind kind, List<RunResult> runs, long uniqueParams, Long flops, MeanStd top1) {

    public FamilyPoint {
        runs = List.copyOf(runs);
    }

    /**
     * The model's name, as a sweep names a run but without the seed ({@code w64_d8_r2_strided}); the
     * run's own name when it has no other settings.
     */
    public String label() {
        RunResult first = runs.get(0);
        Map<String, Object> settings = new LinkedHashMap<>(first.settings());
        settings.keySet().removeIf(RunResult::isSeedKey);
        return settings.isEmpty() ? first.run() : SweepPlan.name(settings);
    }
}
