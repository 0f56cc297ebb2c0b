package org.spin.report;

import static org.spin.report.Html.esc;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One ablation as the paper lays its tables out: a row per matched group (the settings its runs
 * share), a column per value of the axis holding top-1 over seeds, and footer rows with the number
 * of matched groups per value and its mean difference to the first value.
 */
final class AblationTable {

    private AblationTable() {}

    static String html(Ablation a) {
        StringBuilder b = new StringBuilder();
        String id = "ablation-" + Format.shortKey(a.key()).toLowerCase(Locale.ROOT);
        b.append("<section class=\"ablation\" id=\"").append(esc(id)).append("\">\n<h3>").append(esc(a.axis().title()))
                .append(" <code>").append(esc(a.key())).append("</code></h3>\n");
        b.append("<p>").append(esc(intro(a))).append("</p>\n");
        if (a.groups().isEmpty()) {
            return b.append("<p class=\"note\">").append(NO_GROUPS).append("</p>\n</section>\n").toString();
        }
        b.append("<table class=\"ablation\">\n<thead><tr><th>other settings</th>");
        a.values().forEach(v -> b.append("<th>").append(esc(a.axis().label(v))).append("</th>"));
        b.append("</tr></thead>\n<tbody>\n");
        for (MatchedGroup g : a.groups()) {
            b.append("<tr><th>").append(esc(label(g.others()))).append("</th>");
            for (Cell c : cells(a, g)) {
                if (c.top1() == null) {
                    b.append("<td class=\"missing\">—</td>");
                    continue;
                }
                b.append(c.best() ? "<td class=\"best\">" : "<td>").append(esc(Format.percent(c.top1())))
                        .append(" <span class=\"n\">").append(seeds(c.top1())).append("</span></td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody>\n<tfoot>\n<tr><th>matched groups</th>");
        a.summaries().forEach(s -> b.append("<td>").append(s.groups()).append("</td>"));
        b.append("</tr>\n<tr><th>").append(esc(deltaHeading(a))).append("</th>");
        a.summaries().forEach(s -> b.append("<td>").append(esc(delta(s))).append("</td>"));
        return b.append("</tr>\n</tfoot>\n</table>\n</section>\n").toString();
    }

    /** The same table in GitHub markdown, for a README or a results page. */
    static String markdown(Ablation a) {
        StringBuilder b = new StringBuilder("### ").append(a.axis().title()).append(" `").append(a.key()).append("`\n\n")
                .append(intro(a)).append("\n\n");
        if (a.groups().isEmpty()) {
            return b.append(NO_GROUPS).append("\n\n").toString();
        }
        b.append("| other settings |");
        a.values().forEach(v -> b.append(' ').append(Markdown.cell(a.axis().label(v))).append(" |"));
        b.append("\n|---|").append("---:|".repeat(a.values().size())).append('\n');
        for (MatchedGroup g : a.groups()) {
            b.append("| ").append(Markdown.cell(label(g.others()))).append(" |");
            for (Cell c : cells(a, g)) {
                String top1 = c.top1() == null ? "—" : Format.percent(c.top1()) + " (" + seeds(c.top1()) + ")";
                b.append(' ').append(c.best() ? "**" + top1 + "**" : top1).append(" |");
            }
            b.append('\n');
        }
        b.append("| matched groups |");
        a.summaries().forEach(s -> b.append(' ').append(s.groups()).append(" |"));
        b.append("\n| ").append(Markdown.cell(deltaHeading(a))).append(" |");
        a.summaries().forEach(s -> b.append(' ').append(delta(s)).append(" |"));
        return b.append("\n\n").toString();
    }

    private static final String NO_GROUPS = "The axis varies, but no two of its values were run with all other settings equal.";

    /** A value's top-1 in one matched group ({@code null} if the group did not run it); the row's best is bold. */
    private record Cell(MeanStd top1, boolean best) {}

    private static List<Cell> cells(Ablation a, MatchedGroup g) {
        double best = a.values().stream().filter(g.byValue()::containsKey)
                .mapToDouble(v -> g.top1(v).mean()).max().orElse(Double.NaN);
        return a.values().stream().map(g::top1).map(m -> new Cell(m, m != null && m.mean() == best)).toList();
    }

    private static String intro(Ablation a) {
        return a.groups().size() + (a.groups().size() == 1 ? " matched group" : " matched groups")
                + " (runs equal in every other setting; seeds folded into mean ± std)"
                + (a.axis().sharedRunsOnly() ? "; shared and fusion runs only, since unshared models have no "
                        + a.axis().title().toLowerCase(Locale.ROOT) : "")
                + ".";
    }

    private static String seeds(MeanStd m) {
        return m.n() + (m.n() == 1 ? " seed" : " seeds");
    }

    private static String deltaHeading(Ablation a) {
        return "Δ top-1 vs " + Format.shortKey(a.key()) + "=" + a.axis().label(a.values().get(0))
                + " (points, mean ± std over groups)";
    }

    private static String delta(Ablation.ValueSummary s) {
        return s.deltaToFirst() == null ? "—" : Format.signedPoints(s.deltaToFirst());
    }

    private static String label(Map<String, Object> others) {
        if (others.isEmpty()) {
            return "(all runs)";
        }
        return others.entrySet().stream().map(e -> Format.shortKey(e.getKey()) + "=" + Format.setting(e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
