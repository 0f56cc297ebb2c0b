package org.spin.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spin.report.Runs.done;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

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
    void eachModelIsNamedRightOfItsMarkerWithoutTheSeed() {
        SyntheticSweep.write(dir);
        List<FamilyPoint> points = ModelFamily.of(RunResults.read(dir).runs());
        List<FamilyFigure.Label> labels = FamilyFigure.labels(points, FamilyFigure.Cost.PARAMS);

        assertThat(labels).extracting(FamilyFigure.Label::text)
                .containsExactlyElementsOf(points.stream().map(p -> p.runs().get(0).run().replaceFirst("_s[0-9]+$", "")).toList())
                .contains(SyntheticSweep.name(64, 2, "strided", 0).replace("_s0", ""))
                .noneMatch(t -> t.matches(".*_s[0-9]+$"));
        for (int i = 0; i < points.size(); i++) {
            double marker = Math.log10(points.get(i).uniqueParams());
            assertThat(labels.get(i).x()).isGreaterThan(marker);
            assertThat(labels.get(i).right()).isGreaterThan(labels.get(i).x());
            assertThat(labels.get(i).y()).isEqualTo(100 * points.get(i).top1().mean());
        }
    }

    @Test
    void aCrowdedFigureNamesNoModel() {
        List<RunResult> runs = new java.util.ArrayList<>();
        for (int i = 0; i <= FamilyFigure.MAX_LABELS; i++) {
            runs.add(done("m" + i, 0.8, true, "W", i));
        }
        assertThat(ModelFamily.of(runs)).hasSize(FamilyFigure.MAX_LABELS + 1);
        assertThat(FamilyFigure.labels(ModelFamily.of(runs), FamilyFigure.Cost.PARAMS)).isEmpty();
    }
}
