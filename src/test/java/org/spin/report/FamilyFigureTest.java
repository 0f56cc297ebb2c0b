package org.spin.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spin.report.Runs.done;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.spin.sweep.RunResult;
import org.spin.sweep.RunStatus;

class FamilyFigureTest {

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    @Test
    void aSingleModelStillMakesAFigureOfTheStatedSize() throws IOException {
        List<FamilyPoint> points = ModelFamily.of(List.of(done("only", 0.8, true, "RNG_SEED", 0)));
        byte[] png = FamilyFigure.png(points, FamilyFigure.Cost.PARAMS);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(FamilyFigure.WIDTH);
        assertThat(image.getHeight()).isEqualTo(FamilyFigure.HEIGHT);
    }

    @Test
    void seedsFoldIntoOneModelAndKindsStayApart() {
        List<FamilyPoint> points = ModelFamily.of(List.of(
                done("s0", 0.80, true, "W", 64, "RNG_SEED", 0),
                done("s1", 0.82, true, "W", 64, "RNG_SEED", 1),
                done("u0", 0.85, false, "W", 64, "RNG_SEED", 0),
                Runs.failed("f", "W", 64, "RNG_SEED", 2)));
        assertThat(points).hasSize(2);
        assertThat(points.get(0).kind()).isEqualTo(ModelKind.SHARED);
        assertThat(points.get(0).top1().n()).isEqualTo(2);
        assertThat(points.get(1).kind()).isEqualTo(ModelKind.UNSHARED);
    }

    @Test
    void eachModelIsNamedRightOfItsMarkerWithoutTheSeedAndTheAxisHoldsTheNames() {
        SyntheticSweep.write(dir);
        List<FamilyPoint> points = ModelFamily.of(RunResults.read(dir).runs());
        FamilyFigure.Layout layout = FamilyFigure.layout(points, FamilyFigure.Cost.PARAMS);

        for (int i = 0; i < points.size(); i++) {
            FamilyPoint p = points.get(i);
            FamilyFigure.Label l = layout.labels().get(i);
            String seed = "_s" + p.runs().get(0).settings().get("RNG_SEED");
            assertThat(p.runs().get(0).run()).endsWith(seed);
            assertThat(l.text()).isEqualTo(p.runs().get(0).run().substring(0, p.runs().get(0).run().length() - seed.length()));
            assertThat(l.left()).isGreaterThan(Math.log10(p.uniqueParams()));
            assertThat(l.right()).isLessThanOrEqualTo(layout.xMax());
            assertThat(l.y()).isBetween(layout.yMin(), layout.yMax());
        }
    }

    @Test
    void namesOfModelsOfOneSizeAndCloseAccuracyDoNotOverlap() {
        List<RunResult> runs = List.of(
                done("a", 0.850, true, "W", 64, "MAP", "sequential"),
                done("b", 0.851, true, "W", 64, "MAP", "strided"),
                done("c", 0.8505, true, "W", 64, "MAP", "random"),
                done("d", 0.90, false, "W", 128));
        FamilyFigure.Layout layout = FamilyFigure.layout(ModelFamily.of(runs), FamilyFigure.Cost.PARAMS);
        List<FamilyFigure.Label> labels = layout.labels();
        assertThat(layout.line()).isPositive();
        for (int i = 0; i < labels.size(); i++) {
            for (int j = i + 1; j < labels.size(); j++) {
                FamilyFigure.Label a = labels.get(i);
                FamilyFigure.Label b = labels.get(j);
                boolean sideBySide = a.left() < b.right() && b.left() < a.right();
                if (sideBySide) {
                    assertThat(Math.abs(a.y() - b.y())).as("%s vs %s", a.text(), b.text()).isGreaterThanOrEqualTo(layout.line() - 1e-9);
                }
            }
        }
        // The highest keeps its place; the others move down, and the axis reaches the lowest.
        assertThat(labels.get(1).y()).isEqualTo(85.1);
        assertThat(labels.get(0).y()).isLessThan(85.0);
        assertThat(labels.stream().mapToDouble(FamilyFigure.Label::y).min().getAsDouble() - layout.line() / 2)
                .isGreaterThanOrEqualTo(layout.yMin());
    }

    @Test
    void aCrowdedFigureNamesNoModel() {
        List<RunResult> runs = new java.util.ArrayList<>();
        for (int i = 0; i <= FamilyFigure.MAX_LABELS; i++) {
            runs.add(done("m" + i, 0.8, true, "W", i));
        }
        assertThat(ModelFamily.of(runs)).hasSize(FamilyFigure.MAX_LABELS + 1);
        assertThat(FamilyFigure.layout(ModelFamily.of(runs), FamilyFigure.Cost.PARAMS).labels()).isEmpty();
    }

    @Test
    void theSeedsOfAFusionModelAreOneModelThoughEachHasItsOwnTeacher() {
        List<RunResult> runs = List.of(
                Runs.fusion("f_s0", 0.88, "W", 64, "RNG_SEED", 0),
                new RunResult("f_s1", RunStatus.DONE, null, Runs.map("W", 64, "RNG_SEED", 1), java.util.Map.of(), "convmixer",
                        true, true, "teacher_s1", 1000L, 2000L, 5000L, 0.90, 0.99, 0.90, 1, 1.0, null));
        assertThat(ModelFamily.of(runs)).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(ModelKind.FUSION);
            assertThat(p.top1().n()).isEqualTo(2);
        });
    }
}
