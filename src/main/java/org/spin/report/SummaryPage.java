package org.spin.report;

import java.util.List;

/**
 * The report's tables as GitHub markdown ({@code summary.md}), beside the page: a results page
 * in a repository can show the figures and tables where HTML is not rendered. It holds no
 * timestamp, so regenerating it from the same results changes nothing.
 */
final class SummaryPage {

    /** The summary's file name in the report directory. */
    static final String FILE = "summary.md";

    private SummaryPage() {}

    static String markdown(Sweep sweep, List<Figure> figures, List<Ablation> ablations) {
        StringBuilder b = new StringBuilder("# SPIN sweep report: ").append(Markdown.cell(sweep.name())).append("\n\n")
                .append(sweep.counts()).append(". `").append(SweepReport.PAGE).append("` beside this file has the same figures and tables,")
                .append(" with a sortable run table.\n\n");
        if (!sweep.warnings().isEmpty()) {
            b.append("Unreadable results, left out:\n\n");
            sweep.warnings().forEach(w -> b.append("- ").append(Markdown.cell(w)).append('\n'));
            b.append('\n');
        }
        b.append("## SPIN family\n\n");
        if (figures.isEmpty()) {
            b.append("No finished run to plot yet.\n\n");
        } else {
            b.append("Top-1 against cost, log scale; a marker is a model at its mean top-1 over seeds (faint: each seed).")
                    .append(" Blue circles: unshared (width- and depth-scaled); orange diamonds: shared (SPIN);")
                    .append(" green triangles: fusion. Dashed: the Pareto frontier.\n\n");
            figures.forEach(f -> b.append("![Top-1 accuracy vs ").append(f.cost().title()).append("](")
                    .append(f.cost().fileName()).append(")\n\n"));
        }
        b.append("## Ablations\n\n");
        if (ablations.isEmpty()) {
            b.append(Ablations.NONE).append("\n\n");
        } else {
            b.append("Top-1 in percent, mean ± std over seeds; the best of each row in bold. Δ: a value's top-1 minus")
                    .append(" the first value's over the groups that ran both, in percentage points.\n\n");
            ablations.forEach(a -> b.append(AblationTable.markdown(a)));
        }
        b.append("## Runs\n\n").append(RunTable.markdown(sweep.runs()));
        return b.toString();
    }
}
