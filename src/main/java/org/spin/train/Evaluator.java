package org.spin.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.spin.data.EpochIterator;
import org.spin.data.HostBatch;
import org.spin.data.Loader;
import org.spin.model.SpinModel;
import org.spin.runtime.Autograd;

/** Eval-mode pass over a split: running BatchNorm statistics, no dropout, no gradients. */
public final class Evaluator {

    private Evaluator() {}

    public static EvalResult evaluate(SpinModel model, Loader loader, NDManager parent) {
        long top1 = 0;
        long top5 = 0;
        double lossSum = 0;
        int n = 0;
        InputBuffer input = new InputBuffer();
        try (EpochIterator it = loader.epoch(0)) {
            while (it.hasNext()) {
                HostBatch b = it.next();
                try (NDManager step = parent.newSubManager(); Autograd.Scope inference = Autograd.paused()) {
                    NDArray x = input.wrap(step, b.images(), new Shape(b.size(), loader.outputChannels(),
                            loader.height(), loader.width()));
                    NDArray logits = model.forward(x, false);
                    lossSum += SoftCrossEntropy.loss(logits, b.labels(), 0).getFloat() * b.size();
                    int k = (int) logits.getShape().get(1);
                    float[] l = logits.toFloatArray();
                    for (int i = 0; i < b.size(); i++) {
                        int rank = rankOfLabel(l, i * k, k, b.labels()[i]);
                        top1 += rank == 0 ? 1 : 0;
                        top5 += rank < 5 ? 1 : 0;
                    }
                    n += b.size();
                }
            }
        }
        return new EvalResult((double) top1 / n, (double) top5 / n, lossSum / n, n);
    }

    /** How many classes score strictly higher than the label (0 = top-1 hit); NaN scores miss. */
    static int rankOfLabel(float[] logits, int offset, int k, int label) {
        float target = logits[offset + label];
        if (Float.isNaN(target)) {
            return k;
        }
        int rank = 0;
        for (int j = 0; j < k; j++) {
            if (logits[offset + j] > target) {
                rank++;
            }
        }
        return rank;
    }
}
