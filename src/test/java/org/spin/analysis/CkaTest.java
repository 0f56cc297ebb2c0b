package org.spin.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.junit.jupiter.api.Test;

class CkaTest {

    private static float[][] random(int n, int d, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        return x;
    }

    /** The feature-space form ‖YcᵀXc‖²_F / (‖XcᵀXc‖_F ‖YcᵀYc‖_F), computed independently of the Gram path. */
    private static double featureSpace(float[][] x, float[][] y) {
        DMatrixRMaj xc = centredColumns(x);
        DMatrixRMaj yc = centredColumns(y);
        DMatrixRMaj yx = new DMatrixRMaj(yc.numCols, xc.numCols);
        CommonOps_DDRM.multTransA(yc, xc, yx);
        DMatrixRMaj xx = new DMatrixRMaj(xc.numCols, xc.numCols);
        CommonOps_DDRM.multTransA(xc, xc, xx);
        DMatrixRMaj yy = new DMatrixRMaj(yc.numCols, yc.numCols);
        CommonOps_DDRM.multTransA(yc, yc, yy);
        return frob2(yx) / Math.sqrt(frob2(xx) * frob2(yy));
    }

    private static double frob2(DMatrixRMaj m) {
        double s = 0;
        for (int i = 0; i < m.getNumElements(); i++) {
            s += m.get(i) * m.get(i);
        }
        return s;
    }

    private static DMatrixRMaj centredColumns(float[][] x) {
        DMatrixRMaj m = new DMatrixRMaj(x.length, x[0].length);
        for (int j = 0; j < x[0].length; j++) {
            double mean = 0;
            for (float[] row : x) {
                mean += row[j];
            }
            mean /= x.length;
            for (int i = 0; i < x.length; i++) {
                m.set(i, j, x[i][j] - mean);
            }
        }
        return m;
    }

    private static float[][] times(float[][] x, DMatrixRMaj q, double scale) {
        float[][] out = new float[x.length][q.numCols];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < q.numCols; j++) {
                double s = 0;
                for (int k = 0; k < x[i].length; k++) {
                    s += x[i][k] * q.get(k, j);
                }
                out[i][j] = (float) (scale * s);
            }
        }
        return out;
    }

    @Test
    void aLayerWithItselfIsOne() {
        float[][] x = random(20, 7, 1);
        assertThat(Cka.linear(x, x)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void invariantToOrthogonalTransformsAndIsotropicScaling() {
        float[][] x = random(24, 6, 2);
        float[][] y = random(24, 9, 3);
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(6, 6);
        DMatrixRMaj a = new DMatrixRMaj(6, 6);
        float[][] g = random(6, 6, 4);
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                a.set(i, j, g[i][j]);
            }
        }
        qr.decompose(a);
        DMatrixRMaj q = qr.getQ(null, false);
        double before = Cka.linear(x, y);
        assertThat(Cka.linear(times(x, q, 1), y)).isCloseTo(before, within(1e-6));
        assertThat(Cka.linear(times(x, q, 3.7), y)).isCloseTo(before, within(1e-6));
        // a non-isotropic scaling does change it
        DMatrixRMaj d = CommonOps_DDRM.diag(1, 10, 1, 0.1, 1, 5);
        assertThat(Math.abs(Cka.linear(times(x, d, 1), y) - before)).isGreaterThan(1e-3);
    }

    @Test
    void equalsTheFeatureSpaceFormula() {
        for (long seed = 0; seed < 5; seed++) {
            float[][] x = random(15, 4 + (int) seed, seed);
            float[][] y = random(15, 3, seed + 100);
            assertThat(Cka.linear(x, y)).isCloseTo(featureSpace(x, y), within(1e-9));
            assertThat(Cka.linear(x, y)).isBetween(0.0, 1.0);
        }
    }

    @Test
    void theMatrixIsSymmetricWithAUnitDiagonal() {
        var grams = java.util.List.of(Cka.centre(Cka.gram(random(10, 3, 1))), Cka.centre(Cka.gram(random(10, 5, 2))),
                Cka.centre(Cka.gram(random(10, 4, 3))));
        double[][] m = Cka.matrix(grams);
        for (int i = 0; i < 3; i++) {
            assertThat(m[i][i]).isEqualTo(1.0);
            for (int j = 0; j < 3; j++) {
                assertThat(m[i][j]).isEqualTo(m[j][i]);
            }
        }
    }
}
