package org.spin.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What each reader did with its cases: one row per reader, printed after a fuzz run. */
final class FuzzTable {

    /** Counts for one reader; {@code failures} must stay 0. */
    static final class Row {
        int cases;
        int clean;
        int refused;
        int failures;
        long slowestMs;
    }

    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private final Map<String, Integer> signatureCounts = new LinkedHashMap<>();
    private final Map<String, String> firstOfSignature = new LinkedHashMap<>();

    synchronized void record(String reader, FuzzRunner.Outcome outcome) {
        Row row = rows.computeIfAbsent(reader, r -> new Row());
        row.cases++;
        switch (outcome.kind()) {
            case CLEAN -> row.clean++;
            case REFUSED -> row.refused++;
            case FAILURE -> row.failures++;
        }
        row.slowestMs = Math.max(row.slowestMs, outcome.millis());
    }

    synchronized void failure(String signature, String report) {
        failures.add(report);
        signatureCounts.merge(signature, 1, Integer::sum);
        firstOfSignature.putIfAbsent(signature, report);
    }

    /** Each kind of failure once: how often it happened and its first case. */
    synchronized String distinctFailures() {
        StringBuilder sb = new StringBuilder();
        signatureCounts.forEach((sig, n) -> sb.append(n).append(" x ").append(sig).append("\n    first: ")
                .append(firstOfSignature.get(sig)).append('\n'));
        return sb.toString();
    }

    synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    /** The rows in {@code order} (reader names), then any others in the order they ran. */
    synchronized String format(List<String> order) {
        String header = String.format("%-34s %8s %8s %14s %15s %11s", "reader", "cases", "clean", "SpinException",
                "other failures", "slowest ms");
        StringBuilder sb = new StringBuilder(header).append('\n').append("-".repeat(header.length())).append('\n');
        List<String> names = new ArrayList<>(order);
        rows.keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
        for (String name : names) {
            Row r = rows.get(name);
            if (r != null) {
                sb.append(String.format("%-34s %8d %8d %14d %15d %11d%n", name, r.cases, r.clean, r.refused, r.failures,
                        r.slowestMs));
            }
        }
        return sb.toString();
    }
}
