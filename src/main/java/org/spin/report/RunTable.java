package org.spin.report;

import static org.spin.report.Html.esc;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.spin.sweep.RunResult;

/**
 * Every run, failed and running ones too, one row each. Each cell carries its sort key in
 * {@code data-v} (raw numbers, not their formatted text) for the page's column sorting, and each
 * header a {@code data-key} naming its column in the page's {@code #sort=KEY:asc|desc} address.
 */
final class RunTable {

    private record Column(String key, String header, String title, Function<RunResult, Object> value,
            Function<RunResult, String> text) {

        /** Text is left-aligned, numbers right-aligned so their digits line up. */
        String cssClass(List<RunResult> runs) {
            if (key.equals("error")) {
                return "text wrap"; // the one long column
            }
            return runs.stream().map(value).allMatch(v -> v == null || v instanceof Number) ? "num" : "text";
        }
    }

    private RunTable() {}

    static String html(List<RunResult> runs) {
        List<Column> columns = columns(runs);
        List<String> classes = columns.stream().map(c -> c.cssClass(runs)).toList();
        StringBuilder b = new StringBuilder("<div class=\"scroll\">\n<table id=\"runs\" class=\"sortable\">\n<thead><tr>");
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            b.append("<th class=\"").append(classes.get(i)).append("\" data-key=\"").append(esc(c.key())).append("\" title=\"").append(esc(c.title()))
                    .append("\">").append(esc(c.header())).append("</th>");
        }
        b.append("</tr></thead>\n<tbody>\n");
        for (RunResult run : runs) {
            b.append("<tr data-run=\"").append(esc(run.run())).append("\" data-status=\"").append(run.status().json())
                    .append("\" class=\"").append(run.status().json()).append("\">");
            for (int i = 0; i < columns.size(); i++) {
                Column c = columns.get(i);
                Object v = c.value().apply(run);
                b.append("<td class=\"").append(classes.get(i)).append("\" data-v=\"").append(v == null ? "" : esc(v)).append("\">")
                        .append(v == null ? "" : esc(c.text().apply(run))).append("</td>");
            }
            b.append("</tr>\n");
        }
        return b.append("</tbody>\n</table>\n</div>\n").toString();
    }

    /** The same rows in GitHub markdown; columns empty for every run (no failure, say) are left out. */
    static String markdown(List<RunResult> runs) {
        List<Column> columns = columns(runs).stream()
                .filter(c -> runs.stream().map(c.value()).anyMatch(java.util.Objects::nonNull)).toList();
        StringBuilder b = new StringBuilder("|");
        columns.forEach(c -> b.append(' ').append(Markdown.cell(c.header())).append(" |"));
        b.append("\n|");
        columns.forEach(c -> b.append(c.cssClass(runs).equals("num") ? "---:|" : "---|"));
        b.append('\n');
        for (RunResult run : runs) {
            b.append('|');
            for (Column c : columns) {
                b.append(' ').append(c.value().apply(run) == null ? "" : Markdown.cell(c.text().apply(run))).append(" |");
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static List<Column> columns(List<RunResult> runs) {
        List<Column> cols = new ArrayList<>();
        cols.add(plain("run", "run", "run name", RunResult::run));
        cols.add(plain("status", "status", "done, failed or running", r -> r.status().json()));
        // Beside the status, so a failure's reason is read without scrolling sideways.
        cols.add(plain("error", "error", "why the run failed", RunResult::error));
        Set<String> settings = new LinkedHashSet<>();
        runs.forEach(r -> settings.addAll(r.settings().keySet()));
        for (String key : settings) {
            cols.add(new Column(key, Format.shortKey(key), key,
                    r -> r.settings().containsKey(key) ? sortable(r.settings().get(key)) : null,
                    r -> Format.setting(r.settings().get(key))));
        }
        // Results first, then cost, then provenance: the first screen holds what the sweep is about.
        cols.add(accuracy("top1", "top-1 %", "final top-1 accuracy", RunResult::top1));
        cols.add(accuracy("best_top1", "best top-1 %", "best top-1 over the epochs", RunResult::bestTop1));
        cols.add(accuracy("top5", "top-5 %", "final top-5 accuracy", RunResult::top5));
        cols.add(counted("unique_params", "unique params", "trainable parameters, each shared tensor once", RunResult::uniqueParams));
        cols.add(counted("unshared_params", "unshared params", "parameters of the unshared model of the same shape", RunResult::unsharedParams));
        cols.add(new Column("flops", "FLOPs", "per image, 2 x MACs", RunResult::flops, r -> Format.si(r.flops())));
        cols.add(plain("kind", "kind", "unshared, shared (SPIN) or fusion", r -> ModelKind.of(r).label()));
        cols.add(plain("arch", "arch", "architecture", RunResult::arch));
        if (runs.stream().anyMatch(r -> r.teacher() != null)) {
            cols.add(plain("teacher", "teacher", "run distilled from", RunResult::teacher));
        }
        cols.add(plain("epochs", "epochs", "epochs trained", RunResult::epochs));
        cols.add(new Column("wall_seconds", "wall s", "wall-clock seconds", RunResult::wallSeconds,
                r -> String.format(Locale.ROOT, "%.1f", r.wallSeconds())));
        return cols;
    }

    /** Booleans and null sort as text; numbers stay numbers. */
    private static Object sortable(Object setting) {
        return setting instanceof Number ? setting : Format.setting(setting);
    }

    private static Column plain(String key, String header, String title, Function<RunResult, Object> value) {
        return new Column(key, header, title, value, r -> String.valueOf(value.apply(r)));
    }

    private static Column counted(String key, String header, String title, Function<RunResult, Long> value) {
        return new Column(key, header, title, value::apply, r -> Format.grouped(value.apply(r)));
    }

    private static Column accuracy(String key, String header, String title, Function<RunResult, Double> value) {
        return new Column(key, header, title, value::apply, r -> Format.percent(value.apply(r)));
    }
}
