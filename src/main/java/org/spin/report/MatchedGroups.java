package org.spin.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spin.sweep.RunResult;

/**
 * Matched-pair grouping for an ablation: two runs are compared on an axis only when all their
 * other settings are equal, as in the paper's tables; their seeds may differ, and runs differing
 * only in the seed are repeats of one cell.
 */
public final class MatchedGroups {

    private MatchedGroups() {}

    /** A setting that only shared models have (the rate itself is the axis of the unshared baseline). */
    static boolean sharingOnly(String key) {
        return key.contains(".WEIGHT_SHARE.") && !key.endsWith(".SHARE_RATE");
    }

    private static Map<String, Object> withoutSharing(Map<String, Object> settings) {
        Map<String, Object> out = new LinkedHashMap<>(settings);
        out.keySet().removeIf(MatchedGroups::sharingOnly);
        return out;
    }

    /**
     * Groups the runs that have a value for {@code axis} by their other settings (seed excluded),
     * in order of first appearance. Runs without the axis are left out: they are not on it.
     */
    public static List<MatchedGroup> of(List<RunResult> runs, String axis) {
        Map<Map<String, Object>, Map<Object, List<RunResult>>> groups = new LinkedHashMap<>();
        for (RunResult run : runs) {
            if (!run.settings().containsKey(axis)) {
                continue;
            }
            Map<String, Object> others = new LinkedHashMap<>(run.settings());
            others.remove(axis);
            others.keySet().removeIf(RunResult::isSeedKey);
            groups.computeIfAbsent(others, k -> new LinkedHashMap<>())
                    .computeIfAbsent(run.settings().get(axis), k -> new ArrayList<>()).add(run);
        }
        // An unshared run has no mapping, scope, ... settings, yet it is the baseline of every shared
        // group of its shape: it joins each group whose other settings match apart from those.
        for (Map<String, Object> unshared : new ArrayList<>(groups.keySet())) {
            // Only runs that share nothing are that baseline: a shared run without a mapping key
            // (say) is a shared model of the default mapping, not a baseline of every mapping.
            if (unshared.keySet().stream().anyMatch(MatchedGroups::sharingOnly)
                    || groups.get(unshared).values().stream().flatMap(List::stream).anyMatch(r -> r.shared() || r.fusion())) {
                continue;
            }
            // Nor is it the baseline of fusion runs: they start from it and train on, so "unshared
            // vs shared" there would be "teacher vs fine-tuned student"; the reduction table compares them.
            List<Map<String, Object>> targets = groups.keySet().stream()
                    .filter(o -> o != unshared && o.keySet().stream().anyMatch(MatchedGroups::sharingOnly))
                    .filter(o -> withoutSharing(o).equals(unshared))
                    .filter(o -> groups.get(o).values().stream().flatMap(List::stream).noneMatch(RunResult::fusion))
                    .toList();
            if (!targets.isEmpty()) {
                Map<Object, List<RunResult>> runsOf = groups.remove(unshared);
                targets.forEach(t -> runsOf.forEach((v, rs) -> groups.get(t).merge(v, rs, (a, b) -> {
                    List<RunResult> both = new ArrayList<>(a);
                    both.addAll(b);
                    return both;
                })));
            }
        }
        List<MatchedGroup> result = new ArrayList<>();
        groups.forEach((others, byValue) -> result.add(new MatchedGroup(others, byValue)));
        return result;
    }
}
