package org.spin.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Matched-pair grouping for an ablation: two runs are compared on an axis only when all their
 * other settings are equal, as in the paper's tables; their seeds may differ, and runs differing
 * only in the seed are repeats of one cell.
 */
public final class MatchedGroups {

    private MatchedGroups() {}

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
        List<MatchedGroup> result = new ArrayList<>();
        groups.forEach((others, byValue) -> result.add(new MatchedGroup(others, byValue)));
        return result;
    }
}
