package org.spin.analysis;

/**
 * Linear centred kernel alignment (Kornblith et al., "Similarity of Neural Network Representations
 * Revisited", ICML 2019) between two layers' representations of the same N examples, from their
 * N×N Gram matrices: CKA(K, L) = HSIC(K, L) / √(HSIC(K, K)·HSIC(L, L)), with K = XXᵀ and
 * HSIC(K, L) = ⟨HKH, HLH⟩ (the 1/(N−1)² factors cancel). Invariant to orthogonal transforms and
 * isotropic scaling of either representation; 1 for a layer with itself.
 */
public final class Cka {

    private Cka() {}

    /** K = XXᵀ for N examples of D features each ({@code x[n]} is one example, flattened). */
    public static double[][] gram(float[][] x) {
        int n = x.length;
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = 0;
                float[] a = x[i];
                float[] b = x[j];
                for (int d = 0; d < a.length; d++) {
                    s += (double) a[d] * b[d];
                }
                k[i][j] = s;
                k[j][i] = s;
            }
        }
        return k;
    }

    /** HKH: the Gram matrix with its row and column means removed (centring the features). */
    public static double[][] centre(double[][] k) {
        int n = k.length;
        double[] row = new double[n];
        double all = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                row[i] += k[i][j];
            }
            all += row[i];
            row[i] /= n;
        }
        all /= (double) n * n;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                c[i][j] = k[i][j] - row[i] - row[j] + all; // K is symmetric: column means = row means
            }
        }
        return c;
    }

    /** Linear CKA of two centred Gram matrices; NaN when either representation is constant. */
    public static double fromCentred(double[][] kc, double[][] lc) {
        double kl = 0;
        double kk = 0;
        double ll = 0;
        for (int i = 0; i < kc.length; i++) {
            for (int j = 0; j < kc.length; j++) {
                kl += kc[i][j] * lc[i][j];
                kk += kc[i][j] * kc[i][j];
                ll += lc[i][j] * lc[i][j];
            }
        }
        return kl / Math.sqrt(kk * ll);
    }

    /** Linear CKA of two representations of the same examples (rows). */
    public static double linear(float[][] x, float[][] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("CKA needs the same examples: " + x.length + " vs " + y.length);
        }
        return fromCentred(centre(gram(x)), centre(gram(y)));
    }

    /** CKA between every pair of layers, from each layer's centred Gram matrix. */
    public static double[][] matrix(java.util.List<double[][]> centredGrams) {
        int l = centredGrams.size();
        double[][] m = new double[l][l];
        for (int i = 0; i < l; i++) {
            for (int j = i; j < l; j++) {
                m[i][j] = i == j ? 1.0 : fromCentred(centredGrams.get(i), centredGrams.get(j));
                m[j][i] = m[i][j];
            }
        }
        return m;
    }
}
