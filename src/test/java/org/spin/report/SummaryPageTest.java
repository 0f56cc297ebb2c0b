package org.spin.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.sweep.RunResult;
import org.spin.sweep.RunStatus;

class SummaryPageTest {

    @TempDir
    Path tmp;

    @Test
    void theSummaryHoldsEveryRunTheAblationsAndLinksFiguresThatExist() throws IOException {
        List<String> names = SyntheticSweep.write(tmp.resolve("sweep"));
        SweepReport.Written w = SweepReport.write(tmp.resolve("sweep"), tmp.resolve("out"));
        String md = Files.readString(tmp.resolve("out/summary.md"));

        String runs = md.substring(md.indexOf("## Runs"));
        List<String> rows = runs.lines().filter(l -> l.startsWith("|")).toList();
        assertThat(rows).hasSize(names.size() + 2); // header and alignment row
        names.forEach(n -> assertThat(runs).contains("| " + Markdown.cell(n) + " |"));
        assertThat(rows).allSatisfy(r -> assertThat(cells(r)).hasSize(cells(rows.get(0)).size()));
        // The failed run's error is one escaped cell, not HTML or a broken row.
        assertThat(runs).contains(Markdown.cell(SyntheticSweep.FAILED_ERROR));

        Matcher image = Pattern.compile("!\\[[^]]*]\\(([^)]+)\\)").matcher(md);
        int images = 0;
        while (image.find()) {
            assertThat(tmp.resolve("out").resolve(image.group(1))).isRegularFile();
            images++;
        }
        assertThat(images).isEqualTo(w.figures().size()).isEqualTo(2);

        // One table per ablation, with the same numbers as the page: the mapping's delta is +0.50 points.
        assertThat(md).contains("### Share rate", "### Sharing mapping");
        String mapping = md.substring(md.indexOf("### Sharing mapping"), md.indexOf("## Runs"));
        assertThat(mapping.lines().filter(l -> l.startsWith("| " + Markdown.cell("Δ top-1 vs SHARING_MAPPING=sequential"))))
                .singleElement().satisfies(l -> assertThat(cells(l)).endsWith("+0.50 ± 0.00"));
    }

    @Test
    void aCellEscapesColumnBreaksLineBreaksHtmlAndMarkup() {
        assertThat(Markdown.cell("a|b\n  c <d> &lt; *e* _f_ `g` [h](i) \\")).isEqualTo(
                "a\\|b c &lt;d> &amp;lt; \\*e\\* \\_f\\_ \\`g\\` \\[h\\](i) \\\\");
    }

    @Test
    void anErrorWithColumnAndLineBreaksStaysOneRowOfTheRunTable() {
        RunResult bad = new RunResult("bad", RunStatus.FAILED, "shape | mismatch\nat *block 3*", Runs.map("W", 64), java.util.Map.of(),
                "convmixer", true, false, null, null, null, null, null, null, null, 0, 1.0, null);
        List<RunResult> all = List.of(Runs.done("good", 0.8, true, "W", 32), bad);
        String table = RunTable.markdown(all);
        List<String> rows = table.lines().toList();
        assertThat(rows).hasSize(4).allSatisfy(r -> assertThat(cells(r)).hasSize(cells(rows.get(0)).size()));
        assertThat(cells(rows.get(3))).contains("shape \\| mismatch at \\*block 3\\*");
    }

    /** A markdown row's cells, split on unescaped bars. */
    private static List<String> cells(String row) {
        String inner = row.substring(1, row.length() - 1);
        return List.of(inner.split("(?<!\\\\)\\|", -1)).stream().map(String::strip).toList();
    }
}
