package org.spin.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's grad mode, which is a per-thread setting, set explicitly around every use.
 *
 * <p>Why not DJL's {@code GradientCollector}: the PyTorch engine's collector allows one per JVM (a
 * static flag), so two models could not train at once in one process (sweep runs as threads, a
 * trainer beside a service), and it only turns grad mode off again if it was off before. A new
 * thread starts with grad mode on, so an optimizer update or a weight copy there failed ("a leaf
 * Variable that requires grad is being used in an in-place operation") and inference recorded a
 * graph nobody used. Here each scope sets the mode for its thread and restores it.
 */
public final class Autograd {

    private Autograd() {}

    /** A grad-mode setting for this thread, restored on close. */
    public static final class Scope implements AutoCloseable {
        private final boolean before;

        private Scope(boolean on) {
            before = JniUtils.isGradMode();
            JniUtils.setGradMode(on);
        }

        @Override
        public void close() {
            JniUtils.setGradMode(before);
        }
    }

    /** Records the operations of this thread for {@link #backward} (training's forward pass). */
    public static Scope recording() {
        return new Scope(true);
    }

    /** Records nothing on this thread: inference, optimizer updates, copies into parameters. */
    public static Scope paused() {
        return new Scope(false);
    }

    /** Gradients of the scalar {@code loss} into every parameter it depends on (accumulated). */
    public static void backward(NDArray loss) {
        NDArray seed = loss.onesLike();
        JniUtils.backward((PtNDArray) loss, (PtNDArray) seed, false, false);
    }
}
