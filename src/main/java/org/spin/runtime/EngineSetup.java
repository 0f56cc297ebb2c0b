package org.spin.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.sun.jna.Library;
import com.sun.jna.Native;
import org.spin.SpinException;

/**
 * Everything that must happen before the engine starts, and the one place that chooses the
 * device. Threads are read by DJL's PyTorch engine only at start-up, from system properties.
 */
public final class EngineSetup {

    private static volatile boolean mallocTuned;

    private EngineSetup() {}

    /** Sets intra-op threads (0 = the engine's default) and the allocator; call before any NDArray. */
    public static void configure(int threads) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        tuneGlibcMalloc();
    }

    /**
     * Keeps glibc from handing freed memory back to the kernel between training steps. Each
     * step frees and re-allocates the same ~100 MB of activations; with the default thresholds
     * glibc returns it with madvise/munmap and the next step page-faults it back in, which cost
     * about 10% of step time in our measurements. No-op off glibc.
     */
    static void tuneGlibcMalloc() {
        if (mallocTuned || !System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return;
        }
        try {
            LibC c = Native.load("c", LibC.class);
            c.mallopt(M_MMAP_THRESHOLD, 32 << 20);
            c.mallopt(M_TRIM_THRESHOLD, Integer.MAX_VALUE);
            c.mallopt(M_TOP_PAD, 64 << 20);
            mallocTuned = true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // Not glibc (e.g. musl): run with the allocator's defaults.
        }
    }

    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;

    interface LibC extends Library {
        int mallopt(int param, int value);
    }

    /**
     * The reference's {@code NUM_GPUS}: 0 runs on the CPU, 1 or more on the first CUDA device
     * (one process, one device: data parallelism over several GPUs is not implemented).
     */
    public static Device device(int numGpus) {
        if (numGpus <= 0) {
            return Device.cpu();
        }
        int visible = Engine.getInstance().getGpuCount();
        if (visible == 0) {
            throw new SpinException("NUM_GPUS " + numGpus + " but PyTorch sees no CUDA device; set NUM_GPUS 0,"
                    + " or point PYTORCH_LIBRARY_PATH at libtorch 2.7.1+cu128 (see README, GPU)");
        }
        return Device.gpu(0);
    }
}
