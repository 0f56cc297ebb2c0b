package org.spin.model.shared;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.spin.SpinException;

/** Rank-k factors of a matrix by truncated SVD (EJML), for LoRA's initialisation. */
final class LowRank {

    /** M ≈ b·a with b (rows, k) = U_k·√Σ_k and a (k, cols) = √Σ_k·V_kᵀ, row-major. */
    record Factors(float[] a, float[] b) {}

    private LowRank() {}

    static Factors truncatedSvd(float[] m, int rows, int cols, int k) {
        DMatrixRMaj mat = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.length; i++) {
            mat.data[i] = m[i];
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(rows, cols, true, true, true);
        if (!svd.decompose(mat)) {
            throw new SpinException("SVD of a " + rows + " x " + cols + " weight difference did not converge");
        }
        double[] sigma = svd.getSingularValues();
        DMatrixRMaj u = svd.getU(null, false); // (rows, r)
        DMatrixRMaj v = svd.getV(null, false); // (cols, r)
        Integer[] order = new Integer[sigma.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(sigma[y], sigma[x])); // EJML does not sort
        float[] a = new float[k * cols];
        float[] b = new float[rows * k];
        for (int j = 0; j < k; j++) {
            int c = order[j];
            double root = Math.sqrt(sigma[c]);
            for (int r = 0; r < rows; r++) {
                b[r * k + j] = (float) (u.get(r, c) * root);
            }
            for (int q = 0; q < cols; q++) {
                a[j * cols + q] = (float) (v.get(q, c) * root);
            }
        }
        return new Factors(a, b);
    }
}
