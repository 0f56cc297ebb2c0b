package org.spin.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.spin.SpinException;
import org.spin.io.AtomicDirectory;

/**
 * Reads a sweep directory and writes its report: {@code index.html}, the figures' PNGs and the
 * tables as markdown ({@code summary.md}).
 */
public final class SweepReport {

    /** The page's file name in the output directory. */
    public static final String PAGE = "index.html";

    /** What was written, for the caller to tell the user (the library prints nothing). */
    public record Written(Path page, Sweep sweep, List<Figure> figures, List<Ablation> ablations) {}

    private SweepReport() {}

    /**
     * Writes the report of {@code sweepDir} into {@code outputDir}, replacing an earlier report
     * there; the directory appears complete or not at all.
     *
     * @throws SpinException if {@code sweepDir} is missing or holds no readable result, or if
     *     {@code outputDir} exists and holds anything but an earlier report (it would be replaced)
     */
    public static Written write(Path sweepDir, Path outputDir) {
        Sweep sweep = RunResults.read(sweepDir);
        if (sweep.runs().isEmpty()) {
            throw new SpinException(sweepDir + ": no results (no readable runs/*/result.json)"
                    + (sweep.warnings().isEmpty() ? "" : "; " + sweep.warnings().size() + " unreadable, first: " + sweep.warnings().get(0)));
        }
        checkReplaceable(outputDir);
        List<FamilyPoint> points = ModelFamily.of(sweep.runs());
        List<Figure> figures = new ArrayList<>();
        for (FamilyFigure.Cost cost : FamilyFigure.Cost.values()) {
            List<FamilyPoint> plottable = FamilyFigure.plottable(points, cost);
            if (!plottable.isEmpty()) {
                figures.add(new Figure(cost, FamilyFigure.png(plottable, cost), plottable.size()));
            }
        }
        List<Ablation> ablations = Ablations.of(sweep.runs());
        String html = ReportPage.html(sweep, figures, ablations, ZonedDateTime.now());
        String summary = SummaryPage.markdown(sweep, figures, ablations);
        AtomicDirectory.write(outputDir, dir -> {
            for (Figure f : figures) {
                Files.write(dir.resolve(f.cost().fileName()), f.png());
            }
            Files.writeString(dir.resolve(PAGE), html, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(SummaryPage.FILE), summary, StandardCharsets.UTF_8);
        });
        return new Written(outputDir.resolve(PAGE), sweep, figures, ablations);
    }

    /**
     * Replacing the output directory deletes what was in it, so only an empty directory or an
     * earlier report (our page and PNGs, nothing else) may be replaced: a mistyped {@code --output .}
     * must not cost the user their files.
     */
    private static void checkReplaceable(Path outputDir) {
        if (!Files.exists(outputDir)) {
            return;
        }
        if (!Files.isDirectory(outputDir)) {
            throw new SpinException(outputDir + ": exists and is not a directory; choose another --output");
        }
        try (Stream<Path> entries = Files.list(outputDir)) {
            List<String> foreign = entries.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(PAGE) && !n.equals(SummaryPage.FILE) && !(n.startsWith("family-") && n.endsWith(".png")))
                    .sorted().toList();
            if (!foreign.isEmpty()) {
                throw new SpinException(outputDir + ": exists and holds more than a report (" + foreign.get(0)
                        + (foreign.size() > 1 ? " and " + (foreign.size() - 1) + " more" : "")
                        + "); choose another --output or remove it");
            }
        } catch (IOException e) {
            throw new SpinException(outputDir + ": cannot list: " + e.getMessage(), e);
        }
    }
}
