package org.spin.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.spin.sweep.RunResult;

/** Finds the sharing dimensions a sweep varies and builds one {@link Ablation} for each. */
public final class Ablations {

    /** What the report says when there is no ablation table. */
    static final String NONE = "The sweep varies none of mapping, distribution, scope, reduction function, relaxation"
            + " or share rate among its finished runs.";

    private Ablations() {}

    /**
     * One ablation per setting on an {@link AblationAxis} that takes two or more values among the
     * measured runs it applies to, in the order the settings first appear. Failed and running runs
     * take no part.
     */
    public static List<Ablation> of(List<RunResult> runs) {
        Set<String> keys = new LinkedHashSet<>();
        runs.forEach(r -> keys.addAll(r.settings().keySet()));
        List<Ablation> ablations = new ArrayList<>();
        for (String key : keys) {
            Optional<AblationAxis> axis = AblationAxis.of(key);
            if (axis.isEmpty()) {
                continue;
            }
            List<RunResult> onAxis = (axis.get() == AblationAxis.REDUCTION ? scratchAsNone(runs, key) : runs).stream()
                    .filter(RunResult::measured)
                    .filter(r -> r.settings().containsKey(key))
                    .filter(r -> !axis.get().sharedRunsOnly() || r.shared() || r.fusion())
                    .toList();
            if (onAxis.stream().map(r -> r.settings().get(key)).distinct().count() >= 2) {
                ablations.add(Ablation.of(axis.get(), key, onAxis));
            }
        }
        return ablations;
    }

    /**
     * The reduction axis' baseline is the shared model trained from scratch (reduction "none"), since
     * the paper's claim is that fusion beats it; a sweep names no reduction for those runs, so they
     * join with {@code null}, and match the fusion runs whose other settings are theirs.
     */
    private static List<RunResult> scratchAsNone(List<RunResult> runs, String key) {
        return runs.stream()
                .map(r -> r.shared() && !r.fusion() && !r.settings().containsKey(key) ? r.withSetting(key, null) : r)
                .toList();
    }
}
