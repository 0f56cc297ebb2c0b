package org.spin.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The models no other model beats on both cost and accuracy: for every cost, the best accuracy
 * reachable at that cost or less. This is the curve the paper's family figures compare: sharing
 * helps where its points lie on or above the unshared models' frontier.
 */
public final class ParetoFrontier {

    private ParetoFrontier() {}

    /**
     * The frontier of {@code items} sorted by increasing cost: an item is on it when every item
     * costing no more is strictly less accurate. Of items with equal cost only the most accurate
     * can be on it; an item as accurate as a cheaper one is not (it buys nothing).
     */
    public static <T> List<T> of(List<T> items, ToDoubleFunction<T> cost, ToDoubleFunction<T> accuracy) {
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingDouble(cost).thenComparing(Comparator.comparingDouble(accuracy).reversed()));
        List<T> frontier = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (T item : sorted) {
            double a = accuracy.applyAsDouble(item);
            if (a > best) {
                frontier.add(item);
                best = a;
            }
        }
        return frontier;
    }
}
