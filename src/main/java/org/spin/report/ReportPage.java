package org.spin.report;

import static org.spin.report.Html.esc;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;

/**
 * The report as one HTML page that works offline and alone: figures as base64 PNG data URIs,
 * style and script inline, nothing fetched. The script sorts the run table (header clicks, or
 * {@code #sort=KEY:asc|desc} in the address) and, once the page has loaded, writes each image's
 * decoded size into its {@code data-natural} attribute ({@code 800x520}; {@code 0x0} if it did
 * not decode), so a headless browser's DOM dump shows whether the figures render.
 */
final class ReportPage {

    private ReportPage() {}

    static String html(Sweep sweep, List<Figure> figures, List<Ablation> ablations, ZonedDateTime generated) {
        StringBuilder b = new StringBuilder(1 << 16);
        String name = sweep.name();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>SPIN sweep report: ").append(esc(name)).append("</title>\n<style>\n").append(CSS)
                .append("</style>\n</head>\n<body>\n");
        b.append("<h1>SPIN sweep report: ").append(esc(name)).append("</h1>\n");
        b.append("<p class=\"meta\">").append(esc(sweep.dir().toAbsolutePath().normalize())).append(" · ")
                .append(sweep.counts()).append(" · generated ").append(esc(generated.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)))
                .append("</p>\n");
        if (!sweep.warnings().isEmpty()) {
            b.append("<div class=\"warnings\"><p>Unreadable results, left out of the report:</p>\n<ul>\n");
            sweep.warnings().forEach(w -> b.append("<li>").append(esc(w)).append("</li>\n"));
            b.append("</ul></div>\n");
        }
        b.append("<nav>Sections: <a href=\"#family\">SPIN family</a> · <a href=\"#ablations\">ablations</a> · "
                + "<a href=\"#all-runs\">runs</a></nav>\n");

        b.append("<h2 id=\"family\">SPIN family</h2>\n");
        if (figures.isEmpty()) {
            b.append("<p class=\"note\">No finished run to plot yet.</p>\n");
        } else {
            b.append("<p>Top-1 against cost on a log scale. A marker is one model, at the mean top-1 over its seeds;"
                    + " the faint markers behind it in the same shape are its seeds one by one."
                    + " <span class=\"key unshared\">● unshared</span> (the width- and depth-scaled baseline),"
                    + " <span class=\"key shared\">◆ shared (SPIN)</span>, <span class=\"key fusion\">▲ fusion</span>."
                    + " The dashed line is the Pareto frontier over all models: the best top-1 at that cost or less."
                    + " Failed and running runs are not plotted.</p>\n");
            for (Figure f : figures) {
                b.append("<figure>\n<img id=\"").append(f.cost().fileName().replace(".png", "")).append("\" src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(f.png())).append("\" alt=\"Top-1 accuracy vs ")
                        .append(esc(f.cost().title())).append("\">\n<figcaption>Top-1 vs ").append(esc(f.cost().title()))
                        .append(", ").append(f.models()).append(f.models() == 1 ? " model" : " models")
                        .append(" (<a href=\"").append(f.cost().fileName()).append("\">").append(f.cost().fileName())
                        .append("</a>)</figcaption>\n</figure>\n");
            }
        }

        b.append("<h2 id=\"ablations\">Ablations</h2>\n");
        if (ablations.isEmpty()) {
            b.append("<p class=\"note\">").append(Ablations.NONE).append("</p>\n");
        } else {
            b.append("<p>One table per swept sharing dimension, as in the paper's tables. Top-1 in percent; the best"
                    + " value of each row is bold. Δ is a value's top-1 minus the first value's, over the groups"
                    + " that ran both, in percentage points.</p>\n");
            ablations.forEach(a -> b.append(AblationTable.html(a)));
        }

        b.append("<h2 id=\"all-runs\">Runs</h2>\n<p>Every run, failed and running ones included. Click a column"
                + " header to sort by it; click again to reverse.</p>\n");
        b.append(RunTable.html(sweep.runs()));
        b.append("<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return b.toString();
    }

    private static final String CSS = """
            body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #222; }
            h1 { font-size: 22px; margin-bottom: 4px; }
            h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ddd; }
            h3 { font-size: 15px; margin-bottom: 4px; }
            code { font-size: 12px; color: #555; }
            .meta, .note { color: #666; }
            .warnings { background: #fff4e5; border: 1px solid #f0c36d; padding: 4px 12px; }
            figure { display: inline-block; margin: 8px 16px 8px 0; }
            figure img { max-width: 100%; border: 1px solid #eee; }
            figcaption { color: #555; font-size: 12px; }
            .key.unshared { color: #0072b2; } .key.shared { color: #d55e00; } .key.fusion { color: #009e73; }
            table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
            th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: right; white-space: nowrap; }
            tbody th, tfoot th, td:first-child { text-align: left; }
            thead th { background: #f4f4f4; position: sticky; top: 0; }
            table.sortable thead th { cursor: pointer; user-select: none; }
            th[aria-sort=ascending]::after { content: " ▲"; }
            th[aria-sort=descending]::after { content: " ▼"; }
            tfoot { background: #fafafa; }
            td.best { font-weight: bold; }
            td.missing { color: #aaa; text-align: center; }
            .n { color: #888; font-size: 11px; }
            tr.failed { background: #fdecea; }
            tr.running { background: #eef5fd; }
            .scroll { overflow-x: auto; }
            #runs .text { text-align: left; }
            #runs td.wrap { white-space: normal; min-width: 12em; max-width: 28em; }
            """;

    private static final String SCRIPT = """
            (function () {
              'use strict';
              function value(row, i) { return row.cells[i].getAttribute('data-v'); }
              function compare(a, b) {
                const x = Number(a), y = Number(b);
                if (!isNaN(x) && !isNaN(y)) return x - y;
                return a.localeCompare(b, undefined, { numeric: true });
              }
              function sortTable(table, key, dir) {
                const headers = Array.from(table.tHead.rows[0].cells);
                const i = headers.findIndex(th => th.dataset.key === key);
                if (i < 0) return false;
                const body = table.tBodies[0];
                const rows = Array.from(body.rows);
                rows.sort((r, s) => {
                  const a = value(r, i), b = value(s, i);
                  if (a === '' || b === '') return (a === '') - (b === '');  // blanks last either way
                  const c = compare(a, b);
                  return dir === 'desc' ? -c : c;
                });
                rows.forEach(r => body.appendChild(r));
                headers.forEach(th => th.removeAttribute('aria-sort'));
                headers[i].setAttribute('aria-sort', dir === 'desc' ? 'descending' : 'ascending');
                return true;
              }
              document.querySelectorAll('table.sortable thead th').forEach(th => th.addEventListener('click', () => {
                const dir = th.getAttribute('aria-sort') === 'ascending' ? 'desc' : 'asc';
                if (sortTable(th.closest('table'), th.dataset.key, dir)) {
                  history.replaceState(null, '', '#sort=' + encodeURIComponent(th.dataset.key) + ':' + dir);
                }
              }));
              const m = /^#sort=([^:]+):(asc|desc)$/.exec(location.hash);
              if (m) sortTable(document.getElementById('runs'), decodeURIComponent(m[1]), m[2]);
              // Written once every image has loaded or failed: 0x0 means it did not decode.
              window.addEventListener('load', () => {
                for (const img of document.images) img.dataset.natural = img.naturalWidth + 'x' + img.naturalHeight;
                document.body.dataset.imagesChecked = String(document.images.length);
              });
            })();
            """;
}
