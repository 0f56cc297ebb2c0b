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
}
