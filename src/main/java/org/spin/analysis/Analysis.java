package org.spin.analysis;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.spin.data.EpochIterator;
import org.spin.data.HostBatch;
import org.spin.data.Loader;
import org.spin.model.SpinModel;
import org.spin.runtime.Autograd;

/**
 * Layer-by-layer analysis of a trained model: how similar its blocks' representations are (linear
 * CKA), how large its activations are, and how similar its layers' weights are. SPIN's question is
 * which layers can share weights; layers with near-identical representations are the natural
 * candidates.
 */
public final class Analysis {

    private Analysis() {}

    /**
     * Runs the model in eval mode over every batch of {@code loader} (the N images to analyse, in
     * order) and measures its blocks.
     *
     * <p>Each block's N×N Gram matrix K = XXᵀ (X: N × features, one flattened output per row)
     * needs every pair of examples, but holding X for all N images and all blocks does not fit
     * for real models (a 256-channel 14×14 map is 50k features an image). So K is filled one
     * pair of batches (a, b ≤ a) at a time, batch b's outputs recomputed for each a: memory is two
     * batches' outputs, compute is about (batches + 1)/2 passes over the N images. The products
     * are in float64: centring K later subtracts large common terms from its entries.
     */
    public static LayerAnalysis run(SpinModel model, Loader loader, NDManager parent) {
        List<HostBatch> batches = new ArrayList<>();
        try (EpochIterator it = loader.epoch(0)) {
            it.forEachRemaining(batches::add);
        }
        int n = batches.stream().mapToInt(HostBatch::size).sum();
        if (n < 2) {
            throw new org.spin.SpinException("CKA needs at least 2 images to centre over, got " + n);
        }
        Shape image = new Shape(loader.outputChannels(), loader.height(), loader.width());
        double[][][] gram = null;
        long[] features = null;
        int rowA = 0;
        for (int a = 0; a < batches.size(); a++) {
            try (NDManager sa = parent.newSubManager()) {
                List<NDArray> xa = flatOutputs(model, sa, batches.get(a), image);
                if (gram == null) {
                    gram = new double[xa.size()][n][n];
                    features = xa.stream().mapToLong(x -> x.getShape().get(1)).toArray();
                }
                int rowB = 0;
                for (int b = 0; b <= a; b++) {
                    try (NDManager sb = sa.newSubManager()) {
                        List<NDArray> xb = b == a ? xa : flatOutputs(model, sb, batches.get(b), image);
                        for (int l = 0; l < xa.size(); l++) {
                            NDArray k = xa.get(l).matMul(xb.get(l).transpose()); // (Ba, Bb)
                            put(gram[l], k.toDoubleArray(), rowA, rowB, batches.get(b).size());
                            k.close();
                        }
                    }
                    rowB += batches.get(b).size();
                }
            }
            rowA += batches.get(a).size();
        }
        int depth = gram.length;
        double[] norm = new double[depth];
        double[] rms = new double[depth];
        List<double[][]> centred = new ArrayList<>();
        for (int l = 0; l < depth; l++) {
            // each example's squared norm is its Gram diagonal entry: no second pass needed
            for (int i = 0; i < n; i++) {
                double x = Math.sqrt(gram[l][i][i]);
                norm[l] += x / n;
                rms[l] += x / Math.sqrt(features[l]) / n;
            }
            centred.add(Cka.centre(gram[l]));
            gram[l] = null; // drop each uncentred copy once centred: D·N² doubles are the bulk of the memory
        }
        return new LayerAnalysis(n, Cka.matrix(centred), norm, rms, WeightCosine.of(model.sharedTensors(), parent));
    }

    /** Every block's output for one batch, each (B, features) in float64, in {@code scope}. */
    private static List<NDArray> flatOutputs(SpinModel model, NDManager scope, HostBatch batch, Shape image) {
        NDArray x = scope.create(batch.images(), new Shape(batch.size()).addAll(image));
        List<NDArray> out = new ArrayList<>();
        try (Autograd.Scope inference = Autograd.paused()) {
            for (NDArray y : model.blockOutputs(x)) {
                out.add(y.reshape(batch.size(), -1).toType(DataType.FLOAT64, false));
            }
        }
        return out;
    }

    /** Writes the (Ba, Bb) block k at rows rowA.., columns rowB.., and its transpose. */
    private static void put(double[][] gram, double[] k, int rowA, int rowB, int cols) {
        int rows = k.length / cols;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double v = k[i * cols + j];
                gram[rowA + i][rowB + j] = v;
                gram[rowB + j][rowA + i] = v;
            }
        }
    }
}
