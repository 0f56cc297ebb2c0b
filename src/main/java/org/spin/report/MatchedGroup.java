package org.spin.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spin.sweep.RunResult;

/**
 * Runs that agree on every setting except one axis and the seed, keyed by their value on that
 * axis; each value holds its runs over seeds. It is matched, i.e. worth comparing, when it holds
 * at least two values of the axis.
 *
 * @param others the settings the runs share, without the axis and the seed
 */
public record MatchedGroup(Map<String, Object> others, Map<Object, List<RunResult>> byValue) {

    public MatchedGroup {
        others = Collections.unmodifiableMap(new LinkedHashMap<>(others));
        // LinkedHashMap, not Map.copyOf: a value may be null (REDUCTION_FN: null means no fusion).
        Map<Object, List<RunResult>> copy = new LinkedHashMap<>();
        byValue.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        byValue = Collections.unmodifiableMap(copy);
    }

    public boolean isMatched() {
        return byValue.size() >= 2;
    }

    /** Top-1 over the seeds of {@code value}, or {@code null} if the group has no run with it. */
    public MeanStd top1(Object value) {
        List<RunResult> runs = byValue.get(value);
        return runs == null ? null : MeanStd.of(runs.stream().map(RunResult::top1).toList());
    }
}
