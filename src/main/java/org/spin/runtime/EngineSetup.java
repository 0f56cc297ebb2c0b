package org.spin.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.spin.SpinException;

/**
 * Everything that must happen before the engine starts, and the one place that chooses the
 * device. Threads are read by DJL's PyTorch engine only at start-up, from system properties.
 */
public final class EngineSetup {

    private static volatile boolean mallocTuned;

    private EngineSetup() {}

    /**
     * What idle OpenMP threads do between operators. Training steps are long operators, often
     * beside another process (sweep shards): threads sleep at once. Small-batch inference is
     * hundreds of tiny operators back to back, where waking a sleeping thread costs more than
     * the operator: threads spin a few microseconds first.
     */
    public enum Waiting {
        /** {@code OMP_WAIT_POLICY=PASSIVE}: training, and anything that may share its cores. */
        SLEEP,
        /** {@code GOMP_SPINCOUNT} {@value EngineSetup#SPIN_COUNT}: latency-bound inference. */
        SHORT_SPIN
    }

    /** {@link #configure(int, Waiting)} for training and other throughput work: threads sleep when idle. */
    public static void configure(int threads) {
        configure(threads, Waiting.SLEEP);
    }

    /**
     * Sets intra-op threads, OpenMP waiting, the allocator, libtorch's log level and MKL's kernels
     * ({@link MklDispatch}), then starts the engine; call before any NDArray.
     *
     * @param threads intra-op threads, or 0 for this process's {@link ThreadBudget}
     */
    public static void configure(int threads, Waiting waiting) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        int n = threads > 0 ? threads : ThreadBudget.detect().threads();
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(n));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        openMpWaiting(waiting);
        tuneGlibcMalloc();
        quietNativeLog();
        MklDispatch.apply();
        start();
    }

    /**
     * Starts the engine now, so that what must follow its loading happens once, here: libtorch's
     * own log level. A failure is left to the first real use of the engine, which reports it.
     */
    private static void start() {
        try {
            Engine.getInstance();
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return;
        }
        if (!logLevelRead) {
            logLevelRead = true;
            try {
                Path c10 = Path.of(LibUtils.getLibtorchPath(), System.mapLibraryName("c10"));
                NativeLibrary.getInstance(c10.toString()).getFunction(C10_INIT_LOGGING).invokeVoid(new Object[0]);
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                // another libtorch build without it: its warnings stay on
            }
        }
    }

    private static volatile boolean logLevelRead;

    /** {@code c10::initLogging()}: reads {@value #TORCH_CPP_LOG_LEVEL}, as PyTorch's Python module does at import. */
    private static final String C10_INIT_LOGGING = "_ZN3c1011initLoggingEv";
    static final String TORCH_CPP_LOG_LEVEL = "TORCH_CPP_LOG_LEVEL";

    /**
     * libtorch's C++ warnings off unless the user asks for them ({@value #TORCH_CPP_LOG_LEVEL}, PyTorch's
     * own variable). On a CPU that NNPACK does not know, libtorch 2.7.1 writes "Could not initialize
     * NNPACK! Reason: Unsupported hardware." for every small inference convolution: eight lines per
     * image in {@code spin predict}, and a formatted, timestamped write per operator in a batch-1
     * forward pass. DJL never reads the variable, so {@link #start} has libtorch read it.
     */
    static void quietNativeLog() {
        if (System.getenv(TORCH_CPP_LOG_LEVEL) != null
                || !System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return;
        }
        try {
            Native.load("c", LibC.class).setenv(TORCH_CPP_LOG_LEVEL, "ERROR", 0);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // no libc to call: the warnings stay
        }
    }

    /**
     * Tells libgomp how idle threads wait. By default it spins 300,000 turns at every barrier:
     * when another process runs on the same cores (a second sweep shard, a job on a shared node)
     * the spinning threads steal the cores the working ones need, and both processes slowed
     * several times over, so training threads sleep ({@code PASSIVE}). Sleeping costs a batch-1
     * forward pass, hundreds of tiny operators, a wake-up each: 4.4 ms instead of 2.6, so
     * inference spins {@value #SPIN_COUNT} turns (microseconds) first. libgomp reads these when
     * the engine's native library loads, so this must run before the first NDArray; a value the
     * user set for either variable wins.
     */
    static void openMpWaiting(Waiting waiting) {
        if (System.getenv(OMP_WAIT_POLICY) != null || System.getenv(GOMP_SPINCOUNT) != null
                || !System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return;
        }
        try {
            LibC c = Native.load("c", LibC.class);
            if (waiting == Waiting.SLEEP) {
                c.setenv(OMP_WAIT_POLICY, "PASSIVE", 0);
            } else {
                c.setenv(GOMP_SPINCOUNT, Integer.toString(SPIN_COUNT), 0);
            }
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // no libc to call: the engine keeps OpenMP's default
        }
    }

    static final String OMP_WAIT_POLICY = "OMP_WAIT_POLICY";
    static final String GOMP_SPINCOUNT = "GOMP_SPINCOUNT";
    /** Turns an idle OpenMP thread spins before it sleeps: a few microseconds. */
    public static final int SPIN_COUNT = 3000;

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

        int setenv(String name, String value, int overwrite);
    }

    /**
     * Where a run goes: its devices (the first holds the model the optimizer updates; more than one
     * means data-parallel replicas), and a line to show the user when they are not the ones asked for.
     */
    public record Placement(List<Device> devices, Optional<String> notice) {
        public Device device() {
            return devices.get(0);
        }
    }

    /** {@link #placement(int, int)} without CPU replicas. */
    public static Placement placement(int numGpus) {
        return placement(numGpus, 0);
    }

    /**
     * The reference's {@code NUM_GPUS}: 0 runs on the CPU, N on the first N CUDA devices, one replica
     * each. Where fewer are visible the run takes those there are, and where there are none the CPU,
     * with a notice, so the reference configs ({@code NUM_GPUS 4}) run as they are on any machine and
     * a broken GPU set-up is still said. On the CPU, {@code cpuReplicas} above 1 (our
     * {@code NUM_CPU_REPLICAS}) runs that many replicas there: the reference's per-device BatchNorm
     * on one machine, and the multi-device code path checked without GPUs.
     */
    public static Placement placement(int numGpus, int cpuReplicas) {
        if (cpuReplicas < 0) {
            throw new SpinException("NUM_CPU_REPLICAS " + cpuReplicas + " must be 0 (none) or a number of replicas");
        }
        if (numGpus <= 0) {
            return new Placement(Collections.nCopies(Math.max(1, cpuReplicas), Device.cpu()), Optional.empty());
        }
        int visible = Engine.getInstance().getGpuCount();
        if (visible == 0) {
            return new Placement(Collections.nCopies(Math.max(1, cpuReplicas), Device.cpu()), Optional.of("NUM_GPUS "
                    + numGpus + " but PyTorch sees no CUDA device: running on the CPU (set NUM_GPUS 0 to say so; for a GPU"
                    + " see the README's GPU section)"));
        }
        List<Device> gpus = new ArrayList<>();
        for (int i = 0; i < Math.min(numGpus, visible); i++) {
            gpus.add(Device.gpu(i));
        }
        return new Placement(gpus, visible >= numGpus ? Optional.empty() : Optional.of("NUM_GPUS " + numGpus
                + " but PyTorch sees " + visible + " CUDA device(s): running on " + visible + " (the global batch"
                + " TRAIN.BATCH_SIZE stays as it is)"));
    }
}
