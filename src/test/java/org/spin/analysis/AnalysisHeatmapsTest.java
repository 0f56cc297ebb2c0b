package org.spin.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The heatmaps are PNGs that decode, for any layer count and with NaN cells. */
class AnalysisHeatmapsTest {

    @Test
    void aMatrixWithNanAndOutOfRangeCellsIsAPngThatDecodes() throws IOException {
        for (int d : new int[] {1, 4, 20}) {
            double[][] m = new double[d][d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    m[i][j] = 1.0 / (1 + Math.abs(i - j));
                }
            }
            m[0][d - 1] = Double.NaN;
            m[d - 1][0] = 1 + 1e-12; // CKA of near-identical layers, rounded
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(Heatmaps.png("cka", m, 0, 1)));
            assertThat(image).isNotNull();
            assertThat(image.getWidth()).isGreaterThan(100);
        }
    }

    @Test
    void aCosineMatrixOnItsSignedScaleIsAPngThatDecodes() throws IOException {
        double[][] m = {{1, -1, 0.5, 0}, {-1, 1, 0.25, 0.999}, {0.5, 0.25, 1, -0.3}, {0, 0.999, -0.3, 1}};
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Heatmaps.png("cosine", m, -1, 1)));
        assertThat(image).isNotNull();
    }

    @Test
    void familyFileNamesDropTheLayerPlaceholder() {
        assertThat(AnalysisReport.fileName("blocks.*.attn.qkv.weight")).isEqualTo("attn.qkv.weight");
        assertThat(AnalysisReport.fileName("pwise_w.*")).isEqualTo("pwise_w");
    }
}
