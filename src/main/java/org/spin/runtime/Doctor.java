package org.spin.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a bug report needs to know about this machine's engine: versions, where the natives came
 * from, devices, threads, the CPU's matrix hardware and the matrix-product speed it gives, each
 * with what to fix when something is missing or set wrong ({@code spin doctor}).
 */
public final class Doctor {

    private Doctor() {}

    /** One line of the report: a name, what was found, and what to do about it (empty when fine). */
    public record Finding(String name, String value, Optional<String> fix) {
        static Finding ok(String name, String value) {
            return new Finding(name, value, Optional.empty());
        }

        static Finding fix(String name, String value, String fix) {
            return new Finding(name, value, Optional.of(fix));
        }
    }

    /** The version DJL's JNI of this build is made for. */
    public static final String LIBTORCH = "2.7.1";

    /**
     * Examines the engine (starting it) and times an n×n×n matrix product per device and data type
     * for about {@code secondsPerTiming} each.
     */
    public static List<Finding> examine(int n, double secondsPerTiming) {
        List<Finding> out = new ArrayList<>();
        out.add(Finding.ok("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ", heap "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB"));
        String libPath = System.getenv("PYTORCH_LIBRARY_PATH");
        String version = System.getenv("PYTORCH_VERSION");
        String flavor = System.getenv("PYTORCH_FLAVOR");
        out.add(env("PYTORCH_LIBRARY_PATH", libPath));
        out.add(env("PYTORCH_VERSION", version));
        out.add(env("PYTORCH_FLAVOR", flavor));
        Engine engine;
        try {
            engine = Engine.getInstance();
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            out.add(Finding.fix("engine", "did not start: " + e.getMessage(), libPath == null
                    ? "the CPU natives come from the pytorch-native-cpu jar: build with the default Maven profile"
                    : "PYTORCH_LIBRARY_PATH must hold libtorch " + LIBTORCH + " (lib/libtorch.so), with PYTORCH_VERSION="
                            + LIBTORCH + " and PYTORCH_FLAVOR=cu128 (or cpu) set beside it"));
            return out;
        }
        out.add(Finding.ok("engine", engine.getEngineName() + " " + engine.getVersion() + " on DJL "
                + Engine.getDjlVersion()));
        String dir = LibUtils.getLibtorchPath();
        String libVersion = LibUtils.getVersion();
        String from = libPath != null ? "PYTORCH_LIBRARY_PATH" : "the pytorch-native-cpu jar, unpacked into DJL's cache";
        out.add(libVersion.startsWith(LIBTORCH) ? Finding.ok("libtorch", libVersion + " from " + from + ": " + dir)
                : Finding.fix("libtorch", libVersion + " from " + from + ": " + dir, "DJL's JNI here is built for libtorch "
                        + LIBTORCH + "; another version will not load or will misbehave"));
        if (libPath != null && (version == null || flavor == null)) {
            out.add(Finding.fix("override", "PYTORCH_LIBRARY_PATH without PYTORCH_VERSION and PYTORCH_FLAVOR",
                    "set PYTORCH_VERSION=" + LIBTORCH + " and PYTORCH_FLAVOR=cu128 (or cpu): without them DJL asks for a"
                            + " '-precxx11' flavor that " + LIBTORCH + " does not have"));
        }
        Set<String> features = new TreeSet<>(JniUtils.getFeatures());
        out.add(features.contains("MKLDNN") ? Finding.ok("build", String.join(", ", features) + " (MKLDNN = oneDNN)")
                : Finding.fix("build", String.join(", ", features), "this libtorch has no oneDNN: CPU convolutions and"
                        + " bf16 products will be slow"));
        out.add(Finding.ok("threads", JniUtils.getNumThreads() + " intra-op, " + JniUtils.getNumInteropThreads()
                + " inter-op, of " + Runtime.getRuntime().availableProcessors() + " processors (--threads N sets them)"));
        out.add(cpu());
        MklDispatch.Status mkl = MklDispatch.status();
        out.add(new Finding("mkl", mkl.detail(), mkl.fix()));
        out.add(allocator());
        int gpus = engine.getGpuCount();
        out.add(gpus > 0 ? Finding.ok("cuda", gpus + " device(s), CUDA " + CudaUtils.getCudaVersionString())
                : Finding.fix("cuda", "no CUDA device visible", "runs asking for NUM_GPUS go to the CPU; for a GPU see"
                        + " the README's GPU section"));
        List<Device> devices = new ArrayList<>(List.of(Device.cpu()));
        for (int i = 0; i < gpus; i++) {
            devices.add(Device.gpu(i));
        }
        for (Device d : devices) {
            String name = d.isGpu() ? "gpu" + d.getDeviceId() : "cpu";
            out.add(Finding.ok("matmul " + name + " fp32", gflops(d, DataType.FLOAT32, n, secondsPerTiming)));
            out.add(Finding.ok("matmul " + name + " fp16", gflops(d, DataType.FLOAT16, n, secondsPerTiming)));
        }
        out.add(Finding.fix("bf16", "not available through DJL 0.36", "its JNI maps only float32/64, float16, int and"
                + " bool types to PyTorch's; a bf16 cast ends the process (see the README's GPU section)"));
        return out;
    }

    private static Finding env(String name, String value) {
        return Finding.ok("$" + name, value == null ? "unset" : value);
    }

    /** Which malloc this process runs on: libtorch allocates every operator's output. */
    private static Finding allocator() {
        try {
            String maps = Files.readString(Path.of("/proc/self/maps"));
            for (String lib : List.of("tcmalloc", "jemalloc")) {
                if (maps.contains("lib" + lib)) {
                    return Finding.ok("allocator", lib + " (SPIN_MALLOC=glibc before ./spin keeps glibc's)");
                }
            }
        } catch (IOException | RuntimeException e) {
            return Finding.ok("allocator", "unknown (" + e.getMessage() + ")");
        }
        return Finding.fix("allocator", "glibc malloc", "install libtcmalloc-minimal4 (./spin preloads it unless"
                + " SPIN_MALLOC=glibc): batch-1 inference ran 1.2-1.4x faster with it");
    }

    /** The CPU's name and its bf16 matrix hardware, from /proc/cpuinfo. */
    private static Finding cpu() {
        String model = "unknown";
        Set<String> flags = Set.of();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name") && model.equals("unknown")) {
                    model = line.substring(line.indexOf(':') + 1).strip();
                } else if (line.startsWith("flags") && flags.isEmpty()) {
                    flags = Set.of(line.substring(line.indexOf(':') + 1).strip().split("\\s+"));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Finding.ok("cpu", "unknown (" + e.getMessage() + ")");
        }
        List<String> bf16 = new ArrayList<>();
        if (flags.contains("amx_bf16")) {
            bf16.add("AMX-BF16");
        }
        if (flags.contains("avx512_bf16")) {
            bf16.add("AVX-512 BF16");
        }
        return Finding.ok("cpu", model + "; bf16 matrix hardware: " + (bf16.isEmpty() ? "none" : String.join(", ", bf16)));
    }

    /** GFLOP/s of an n×n×n product on {@code device} in {@code type}, timed for about {@code seconds}. */
    static String gflops(Device device, DataType type, int n, double seconds) {
        try (NDManager m = NDManager.newBaseManager(device)) {
            NDArray a = m.randomNormal(new Shape(n, n)).toType(type, false);
            NDArray b = m.randomNormal(new Shape(n, n)).toType(type, false);
            long t0 = System.nanoTime();
            product(a, b); // warm-up, and a type the device cannot multiply fails here
            double s = (System.nanoTime() - t0) / 1e9;
            int reps = 1;
            if (s < seconds) { // else (fp16 on a CPU without fp16 arithmetic) the warm-up is the timing
                reps = 0;
                t0 = System.nanoTime();
                do {
                    product(a, b);
                    reps++;
                } while (System.nanoTime() - t0 < seconds * 1e9);
                s = (System.nanoTime() - t0) / 1e9;
            }
            return String.format(Locale.ROOT, "%.1f GFLOP/s (%d×%d×%d, %s, %d products)", 2.0 * n * n * n * reps / s / 1e9,
                    n, n, n, type.name().toLowerCase(Locale.ROOT), reps);
        } catch (RuntimeException e) {
            return "failed: " + e.getMessage();
        }
    }

    /** One product, waited for (reading one element synchronises with the device). */
    private static void product(NDArray a, NDArray b) {
        try (NDArray c = a.matMul(b); NDArray view = c.get(0, 0); NDArray one = view.toType(DataType.FLOAT32, false)) {
            one.getFloat();
        }
    }
}
