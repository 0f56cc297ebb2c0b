package org.spin.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.spin.sweep.RunResult;

/**
 * One swept sharing dimension compared as in the paper's tables: each value of the axis in each
 * matched group, and per value the difference of its top-1 to the first value's, averaged over
 * the groups holding both.
 *
 * @param key the setting swept, e.g. {@code CONVMIXER.WEIGHT_SHARE.SHARING_MAPPING}
 * @param values the axis' values, the baseline first
 * @param groups the matched groups only (two values or more)
 * @param summaries one per value, in the order of {@code values}
 */
public record Ablation(AblationAxis axis, String key, List<Object> values, List<MatchedGroup> groups,
        List<ValueSummary> summaries) {

    /**
     * @param groups matched groups holding this value
     * @param deltaToFirst top-1 of this value minus the first value's, one difference of seed
     *     means per group holding both; {@code null} for the first value or without such a group
     */
    public record ValueSummary(Object value, int groups, MeanStd deltaToFirst) {}

    public Ablation {
        values = Collections.unmodifiableList(new ArrayList<>(values)); // may hold null; List.copyOf would not
        groups = List.copyOf(groups);
        summaries = List.copyOf(summaries);
    }

    /** Compares {@code runs} (measured, already filtered to this axis' runs) on {@code key}. */
    static Ablation of(AblationAxis axis, String key, List<RunResult> runs) {
        List<Object> values = new ArrayList<>();
        runs.stream().map(r -> r.settings().get(key)).distinct().forEach(values::add);
        values.sort(axis::compare);
        List<MatchedGroup> matched = MatchedGroups.of(runs, key).stream().filter(MatchedGroup::isMatched).toList();
        Object first = values.get(0);
        List<ValueSummary> summaries = new ArrayList<>();
        for (Object value : values) {
            List<MatchedGroup> holding = matched.stream().filter(g -> g.byValue().containsKey(value)).toList();
            List<Double> deltas = Objects.equals(value, first) ? List.of() : holding.stream()
                    .filter(g -> g.byValue().containsKey(first))
                    .map(g -> g.top1(value).mean() - g.top1(first).mean())
                    .toList();
            summaries.add(new ValueSummary(value, holding.size(), deltas.isEmpty() ? null : MeanStd.of(deltas)));
        }
        return new Ablation(axis, key, values, matched, summaries);
    }
}
