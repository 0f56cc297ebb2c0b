package org.spin.report;

import static org.spin.report.Html.esc;

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
        b.append("<p>").append(a.groups().size()).append(a.groups().size() == 1 ? " matched group" : " matched groups")
                .append(" (runs equal in every other setting; seeds folded into mean ± std)")
                .append(a.axis().sharedRunsOnly() ? "; shared and fusion runs only, since unshared models have no "
                        + esc(a.axis().title().toLowerCase(Locale.ROOT)) : "")
                .append(".</p>\n");
        if (a.groups().isEmpty()) {
            return b.append("<p class=\"note\">The axis varies, but no two of its values were run with all other settings equal.</p>\n</section>\n")
                    .toString();
        }
        b.append("<table class=\"ablation\">\n<thead><tr><th>other settings</th>");
        a.values().forEach(v -> b.append("<th>").append(esc(a.axis().label(v))).append("</th>"));
        b.append("</tr></thead>\n<tbody>\n");
        for (MatchedGroup g : a.groups()) {
            b.append("<tr><th>").append(esc(label(g.others()))).append("</th>");
            double best = a.values().stream().filter(g.byValue()::containsKey)
                    .mapToDouble(v -> g.top1(v).mean()).max().orElse(Double.NaN);
            for (Object v : a.values()) {
                MeanStd m = g.top1(v);
                if (m == null) {
                    b.append("<td class=\"missing\">—</td>");
                    continue;
                }
                b.append(m.mean() == best ? "<td class=\"best\">" : "<td>").append(esc(Format.percent(m)))
                        .append(" <span class=\"n\">").append(m.n()).append(m.n() == 1 ? " seed" : " seeds")
                        .append("</span></td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody>\n<tfoot>\n<tr><th>matched groups</th>");
        a.summaries().forEach(s -> b.append("<td>").append(s.groups()).append("</td>"));
        b.append("</tr>\n<tr><th>Δ top-1 vs ").append(esc(Format.shortKey(a.key()) + "=" + a.axis().label(a.values().get(0))))
                .append(" (points, mean ± std over groups)</th>");
        a.summaries().forEach(s -> b.append("<td>").append(s.deltaToFirst() == null ? "—" : esc(Format.signedPoints(s.deltaToFirst())))
                .append("</td>"));
        return b.append("</tr>\n</tfoot>\n</table>\n</section>\n").toString();
    }

    private static String label(Map<String, Object> others) {
        if (others.isEmpty()) {
            return "(all runs)";
        }
        return others.entrySet().stream().map(e -> Format.shortKey(e.getKey()) + "=" + Format.setting(e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
