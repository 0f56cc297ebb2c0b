package org.spin.data;

import java.util.SplittableRandom;
import org.spin.SpinException;

/**
 * timm's {@code Mixup} in its batch mode (what SlowFast's {@code MixUp} and the reference use): with
 * probability {@code prob} a batch is mixed with itself reversed, either by Mixup (Zhang et al.,
 * 2018: every image {@code λ·x_i + (1−λ)·x_{B−1−i}}) or, with probability {@code switchProb}, by
 * CutMix (Yun et al., 2019: a box of the reversed batch pasted in, λ corrected to the box's actual
 * area), λ drawn from Beta(α, α) of the chosen method. The targets are the label-smoothed one-hots
 * mixed with the same λ.
 */
public final class Mixup {

    private final double mixupAlpha;
    private final double cutmixAlpha;
    private final double prob;
    private final double switchProb;
    private final double smoothing;
    private final int numClasses;

    public Mixup(double mixupAlpha, double cutmixAlpha, double prob, double switchProb, double smoothing, int numClasses) {
        if (!(mixupAlpha >= 0) || !(cutmixAlpha >= 0) || mixupAlpha + cutmixAlpha == 0) {
            throw new SpinException("MIXUP.ALPHA " + mixupAlpha + " and MIXUP.CUTMIX_ALPHA " + cutmixAlpha
                    + " must be 0 or more, one of them positive, with MIXUP.ENABLE True");
        }
        for (double p : new double[] {prob, switchProb}) {
            if (!(p >= 0 && p <= 1)) {
                throw new SpinException("MIXUP.PROB " + prob + " and MIXUP.SWITCH_PROB " + switchProb + " must be in [0, 1]");
            }
        }
        this.mixupAlpha = mixupAlpha;
        this.cutmixAlpha = cutmixAlpha;
        this.prob = prob;
        this.switchProb = switchProb;
        this.smoothing = smoothing;
        this.numClasses = numClasses;
    }

    /** How one batch was mixed: λ after correction, and CutMix's box (null for Mixup or no mixing). */
    public record Draw(double lambda, int[] box) {}

    /** λ and the method, drawn as timm draws them (λ = 1: the batch stays as it is). */
    Draw draw(int height, int width, SplittableRandom rng) {
        if (!(rng.nextDouble() < prob)) {
            return new Draw(1.0, null);
        }
        boolean cutmix;
        double lambda;
        if (mixupAlpha > 0 && cutmixAlpha > 0) {
            cutmix = rng.nextDouble() < switchProb;
            lambda = Draws.beta(rng, cutmix ? cutmixAlpha : mixupAlpha);
        } else {
            cutmix = cutmixAlpha > 0;
            lambda = Draws.beta(rng, cutmix ? cutmixAlpha : mixupAlpha);
        }
        if (!cutmix || lambda == 1.0) {
            return new Draw(lambda, null);
        }
        double ratio = Math.sqrt(1 - lambda);
        int cutH = (int) (height * ratio);
        int cutW = (int) (width * ratio);
        int cy = rng.nextInt(height);
        int cx = rng.nextInt(width);
        int yl = clip(cy - cutH / 2, height);
        int yh = clip(cy + cutH / 2, height);
        int xl = clip(cx - cutW / 2, width);
        int xh = clip(cx + cutW / 2, width);
        double corrected = 1 - (double) (yh - yl) * (xh - xl) / ((double) height * width);
        return new Draw(corrected, new int[] {yl, yh, xl, xh});
    }

    private static int clip(int v, int size) {
        return Math.max(0, Math.min(size, v));
    }

    /** The batch mixed with itself reversed, with soft targets; the batch must be even-sized (full training batches). */
    public HostBatch apply(HostBatch batch, int channels, int height, int width, SplittableRandom rng) {
        int b = batch.size();
        if (b % 2 != 0) {
            throw new SpinException("TRAIN.BATCH_SIZE " + b + " is odd; Mixup pairs each image with its mirror in the"
                    + " batch, so expected an even batch size with MIXUP.ENABLE True");
        }
        Draw d = draw(height, width, rng);
        float[] x = batch.images();
        int per = channels * height * width;
        float[] out;
        double lam = d.lambda();
        if (lam == 1.0) {
            out = x;
        } else if (d.box() == null) {
            out = new float[x.length];
            float a = (float) lam;
            float c = (float) (1 - lam);
            for (int i = 0; i < b; i++) {
                int self = i * per;
                int mirror = (b - 1 - i) * per;
                for (int p = 0; p < per; p++) {
                    out[self + p] = x[self + p] * a + x[mirror + p] * c;
                }
            }
        } else {
            out = x.clone();
            int[] box = d.box();
            for (int i = 0; i < b; i++) {
                for (int ch = 0; ch < channels; ch++) {
                    for (int y = box[0]; y < box[1]; y++) {
                        int row = ((ch * height) + y) * width;
                        System.arraycopy(x, (b - 1 - i) * per + row + box[2], out, i * per + row + box[2], box[3] - box[2]);
                    }
                }
            }
        }
        return new HostBatch(out, batch.labels(), b, batch.step(), targets(batch.labels(), lam));
    }

    /** timm's {@code mixup_target}: smoothed one-hots, λ of each sample's own and 1 − λ of its mirror's. */
    float[] targets(int[] labels, double lambda) {
        int b = labels.length;
        float off = (float) (smoothing / numClasses);
        float on = (float) (1 - smoothing) + off;
        float[] t = new float[b * numClasses];
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < numClasses; k++) {
                float own = labels[i] == k ? on : off;
                float mirror = labels[b - 1 - i] == k ? on : off;
                t[i * numClasses + k] = (float) (own * lambda + mirror * (1 - lambda));
            }
        }
        return t;
    }
}
