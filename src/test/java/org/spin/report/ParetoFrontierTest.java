package org.spin.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParetoFrontierTest {

    record P(String name, double cost, double acc) {}

    private static List<String> frontier(P... points) {
        return ParetoFrontier.of(List.of(points), P::cost, P::acc).stream().map(P::name).toList();
    }

    @Test
    void keepsTheModelsNoCheaperModelMatchesInCostOrder() {
        assertThat(frontier(new P("big", 100, 0.90), new P("small", 10, 0.80), new P("dominated", 50, 0.79),
                new P("mid", 40, 0.85), new P("worse-than-mid", 60, 0.84))).containsExactly("small", "mid", "big");
    }

    @Test
    void ofEqualCostsOnlyTheMostAccurateCounts() {
        assertThat(frontier(new P("a", 10, 0.70), new P("b", 10, 0.75), new P("c", 20, 0.80))).containsExactly("b", "c");
    }

    @Test
    void aCostlierModelThatOnlyTiesIsNotOnIt() {
        assertThat(frontier(new P("cheap", 10, 0.80), new P("tie", 20, 0.80))).containsExactly("cheap");
    }

    @Test
    void oneModelIsItsOwnFrontierAndNoneGivesNone() {
        assertThat(frontier(new P("only", 5, 0.5))).containsExactly("only");
        assertThat(frontier()).isEmpty();
    }
}
