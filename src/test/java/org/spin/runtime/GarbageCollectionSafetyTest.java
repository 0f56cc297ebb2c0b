package org.spin.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.spin.model.shared.Reduction;
import org.spin.model.vit.Attention;
import org.spin.train.Distillation;

/**
 * A gradient must not depend on when the garbage collector runs. DJL's {@code x.mul(2.0)} wraps the
 * number in a tensor over a Java direct buffer, runs the op and closes that tensor at once; the
 * engine's graph keeps it for the backward pass, so a collection between forward and backward
 * freed memory the backward then read (this was the "rare, unreproducible" slot-gradient mismatch
 * of ViT, and the fusion model's sudden 1e34 gradients). Here every differentiable op that takes a
 * constant runs forward, then the collector runs and fresh direct buffers reuse freed memory, then
 * backward: the gradients must equal those of an undisturbed pass, bit for bit.
 */
class GarbageCollectionSafetyTest {

    /** Collects twice and refills small freed blocks with 1000.0f, as a busy JVM would by chance. */
    private static void collectAndReuseFreedMemory() throws InterruptedException {
        List<ByteBuffer> keep = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(30); // the cleaner frees direct buffers on its own thread
            for (int i = 0; i < 4000; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(4 << (i % 3)).order(ByteOrder.nativeOrder());
                while (b.remaining() >= 4) {
                    b.putFloat(1000f);
                }
                keep.add(b);
            }
        }
        keep.clear();
    }

    /**
     * The gradient of {@code sum(f(p) ⊙ r)} with respect to p, a fixed (rows × cols) tensor, and r a
     * fixed set of weights; with {@code disturb}, the collector runs between forward and backward.
     */
    private static float[] gradient(long rows, long cols, BiFunction<NDManager, NDArray, NDArray> f, boolean disturb)
            throws InterruptedException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray p = m.arange((float) (rows * cols)).mul(m.full(new Shape(), 0.37f)).sin().reshape(rows, cols);
            p.setRequiresGradient(true);
            NDArray loss;
            try (Autograd.Scope tape = Autograd.recording()) {
                NDArray y = f.apply(m, p);
                NDArray r = m.arange((float) y.size()).reshape(y.getShape()).cos();
                loss = y.mul(r).sum();
            }
            if (disturb) {
                collectAndReuseFreedMemory();
            }
            Autograd.backward(loss);
            return p.getGradient().toFloatArray();
        }
    }

    private static void assertUndisturbed(long rows, long cols, BiFunction<NDManager, NDArray, NDArray> f)
            throws InterruptedException {
        float[] calm = gradient(rows, cols, f, false);
        for (int trial = 0; trial < 3; trial++) {
            assertThat(gradient(rows, cols, f, true)).as("trial %d", trial).containsExactly(calm);
        }
    }

    @Test
    void attentionsScaledQueries() throws InterruptedException {
        // tokens (1, 5, 8), 2 heads; the weight under test is qkv's
        assertUndisturbed(24, 8, (m, qkv) -> {
            NDArray x = m.arange(40f).reshape(1, 5, 8).mul(m.full(new Shape(), 0.05f)).cos();
            NDArray proj = m.eye(8);
            return Attention.apply(x, qkv, null, proj, m.zeros(new Shape(8)), 2);
        });
    }

    @Test
    void fusionsMeanOfTheGroupsWeights() throws InterruptedException {
        assertUndisturbed(6, 4, (m, w) -> Reduction.MEAN.weight(m, List.of(w, w.mul(w)), null));
        assertUndisturbed(6, 1, (m, b) -> Reduction.MEAN.bias(m, List.of(b.reshape(6), b.reshape(6).exp())));
    }

    @Test
    void distillationsTemperatureAndMixing() throws InterruptedException {
        Distillation d = new Distillation(null, 0.3, 2.0);
        assertUndisturbed(4, 5, (m, student) -> {
            NDArray teacher = m.arange(20f).reshape(4, 5).sin();
            return d.loss(student, teacher, new int[] {0, 1, 2, 3}, 0.1).reshape(1, 1);
        });
    }
}
