package org.spin.report;

import java.util.List;

/**
 * One model of the family figures: the runs of one configuration over its seeds.
 *
 * @param flops per image, or {@code null} when the runs did not record MACs
 */
public record FamilyPoint(ModelKind kind, List<RunResult> runs, long uniqueParams, Long flops, MeanStd top1) {

    public FamilyPoint {
        runs = List.copyOf(runs);
    }

    /** The model's name: its first run's without the seed suffix a sweep adds ({@code w64_d8_r2_strided}). */
    public String label() {
        return runs.get(0).run().replaceFirst("_s\\d+$", "");
    }
}
