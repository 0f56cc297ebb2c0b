package org.spin.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.spin.SpinException;

/** Mixup and CutMix against timm's formulas for the same draws, and Beta draws against the Beta distribution. */
class MixupTest {

    private static final int C = 2;
    private static final int H = 10;
    private static final int W = 16;
    private static final int B = 4;
    private static final int K = 5;

    private static HostBatch batch() {
        float[] x = new float[B * C * H * W];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.37);
        }
        return new HostBatch(x, new int[] {0, 3, 3, 1}, B, 0);
    }

    @Test
    void betaDrawsFollowTheBetaDistribution() {
        SplittableRandom rng = new SplittableRandom(9);
        int n = 20_000;
        double[] half = new double[n];
        double[] one = new double[n];
        for (int i = 0; i < n; i++) {
            half[i] = Draws.beta(rng, 0.5);
            one[i] = Draws.beta(rng, 1.0);
        }
        Arrays.sort(half);
        Arrays.sort(one);
        double dHalf = 0;
        double dOne = 0;
        for (int i = 0; i < n; i++) {
            double fHalf = 2 / Math.PI * Math.asin(Math.sqrt(half[i])); // Beta(1/2, 1/2): the arcsine law
            dHalf = Math.max(dHalf, Math.max(Math.abs(fHalf - (double) i / n), Math.abs((i + 1.0) / n - fHalf)));
            dOne = Math.max(dOne, Math.max(Math.abs(one[i] - (double) i / n), Math.abs((i + 1.0) / n - one[i])));
        }
        assertThat(dHalf).isLessThan(0.0136); // 1.92/sqrt(n): the 0.1% critical value
        assertThat(dOne).isLessThan(0.0136);
    }

    @Test
    void mixupBlendsEachImageWithItsMirrorAndTheSmoothedTargetsAlike() {
        Mixup m = new Mixup(0.5, 0, 1.0, 0.5, 0.1, K);
        HostBatch in = batch();
        HostBatch out = m.apply(in, C, H, W, new SplittableRandom(4));
        SplittableRandom r = new SplittableRandom(4); // replayed: rand() < prob, then Beta(alpha, alpha)
        assertThat(r.nextDouble()).isLessThan(1.0);
        double lam = Draws.beta(r, 0.5);
        int per = C * H * W;
        for (int i = 0; i < B; i++) {
            for (int p = 0; p < per; p += 17) {
                assertThat(out.images()[i * per + p]).isCloseTo((float) (lam * in.images()[i * per + p]
                        + (1 - lam) * in.images()[(B - 1 - i) * per + p]), within(1e-6f));
            }
        }
        // sample 0 (class 0) with sample 3 (class 1): on = 0.9 + 0.02, off = 0.02
        float[] t = out.targets();
        assertThat(t[0]).isCloseTo((float) (0.92 * lam + 0.02 * (1 - lam)), within(1e-6f));
        assertThat(t[1]).isCloseTo((float) (0.02 * lam + 0.92 * (1 - lam)), within(1e-6f));
        assertThat(t[2]).isCloseTo(0.02f, within(1e-6f));
        for (int i = 0; i < B; i++) {
            double sum = 0;
            for (int k = 0; k < K; k++) {
                sum += t[i * K + k];
            }
            assertThat(sum).isCloseTo(1.0, within(1e-5));
        }
        assertThat(in.images()).isEqualTo(batch().images()); // the input batch is left alone
    }

    @Test
    void cutmixPastesTimmsBoxFromTheMirrorAndCorrectsLambdaToItsArea() {
        Mixup m = new Mixup(0, 1.0, 1.0, 0.5, 0.0, K);
        for (long seed = 0; seed < 50; seed++) {
            HostBatch in = batch();
            HostBatch out = m.apply(in, C, H, W, new SplittableRandom(seed));
            SplittableRandom r = new SplittableRandom(seed);
            r.nextDouble();
            double lam = Draws.beta(r, 1.0);
            double ratio = Math.sqrt(1 - lam);
            int cutH = (int) (H * ratio);
            int cutW = (int) (W * ratio);
            int cy = r.nextInt(H);
            int cx = r.nextInt(W);
            int yl = Math.max(0, cy - cutH / 2);
            int yh = Math.min(H, cy + cutH / 2);
            int xl = Math.max(0, cx - cutW / 2);
            int xh = Math.min(W, cx + cutW / 2);
            double corrected = 1 - (double) (yh - yl) * (xh - xl) / (H * W);
            int per = C * H * W;
            for (int i = 0; i < B; i++) {
                for (int c = 0; c < C; c++) {
                    for (int y = 0; y < H; y++) {
                        for (int x = 0; x < W; x++) {
                            boolean inBox = y >= yl && y < yh && x >= xl && x < xh;
                            int at = (c * H + y) * W + x;
                            assertThat(out.images()[i * per + at]).isEqualTo(in.images()[(inBox ? B - 1 - i : i) * per + at]);
                        }
                    }
                }
            }
            // no smoothing: sample 1 (class 3) and its mirror 2 (class 3) keep all on class 3
            assertThat(out.targets()[K + 3]).isCloseTo(1f, within(1e-6f));
            assertThat(out.targets()[0]).as("seed %d", seed).isCloseTo((float) corrected, within(1e-6f));
        }
    }

    @Test
    void anUnmixedBatchKeepsItsImagesAndGetsSmoothedOneHots() {
        HostBatch out = new Mixup(0.5, 0.5, 0.0, 0.5, 0.1, K).apply(batch(), C, H, W, new SplittableRandom(1));
        assertThat(out.images()).isEqualTo(batch().images());
        assertThat(out.targets()[3 * K + 1]).isCloseTo(0.92f, within(1e-6f));
    }

    @Test
    void anOddBatchAndBadSettingsAreOneLineErrors() {
        HostBatch odd = new HostBatch(new float[3 * C * H * W], new int[] {0, 1, 2}, 3, 0);
        assertThatThrownBy(() -> new Mixup(0.5, 0.5, 1, 0.5, 0.1, K).apply(odd, C, H, W, new SplittableRandom(1)))
                .isInstanceOf(SpinException.class).hasMessageStartingWith("TRAIN.BATCH_SIZE 3 is odd");
        assertThatThrownBy(() -> new Mixup(0, 0, 1, 0.5, 0.1, K)).isInstanceOf(SpinException.class)
                .hasMessageContaining("one of them positive");
        assertThatThrownBy(() -> new Mixup(0.5, 0, 1.5, 0.5, 0.1, K)).isInstanceOf(SpinException.class)
                .hasMessageStartingWith("MIXUP.PROB 1.5");
    }

    @Test
    void aMixingLoaderGivesTheSameBatchesWhateverItsWorkers() {
        ImageSet data = SyntheticImages.generate(64, K, 1, 8, 3);
        Mixup m = new Mixup(0.5, 0.5, 1.0, 0.5, 0.1, K);
        List<HostBatch> one = new java.util.ArrayList<>();
        List<HostBatch> three = new java.util.ArrayList<>();
        try (EpochIterator a = new BatchLoader(data, 8, true, 2, 1, List.of(0.5), List.of(0.5), true, 1).mixing(m).epoch(1);
             EpochIterator b = new BatchLoader(data, 8, true, 2, 1, List.of(0.5), List.of(0.5), true, 3).mixing(m).epoch(1)) {
            a.forEachRemaining(one::add);
            b.forEachRemaining(three::add);
        }
        assertThat(one).hasSize(8);
        for (int i = 0; i < one.size(); i++) {
            assertThat(three.get(i).images()).isEqualTo(one.get(i).images());
            assertThat(three.get(i).targets()).isEqualTo(one.get(i).targets());
        }
    }
}
