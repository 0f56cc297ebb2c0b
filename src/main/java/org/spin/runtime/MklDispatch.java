package org.spin.runtime;

import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Lets the MKL inside libtorch run its own AVX-512 matrix-product kernels on AMD CPUs.
 *
 * <p>MKL chooses kernels by vendor first: on a CPU that is not Intel's it runs generic ones, AVX2
 * at best, whatever the CPU supports. On the AMD EPYC (AVX-512) we measure on, that made DeiT-Ti's
 * linear layers 2.2x slower than MKL's own AVX-512 path, and put batch-1 inference below PyTorch
 * eager (whose OpenBLAS does not ask the vendor). {@code libspinmkl.so} ({@code src/main/c}, built
 * with the jar where a C compiler is found) defines the one function MKL asks; loaded into the
 * global symbol scope before libtorch, it answers in place of MKL's copy. MKL still picks among its
 * kernels by the instruction sets the CPU reports. {@value #SWITCH}{@code =0} keeps MKL's choice.
 */
public final class MklDispatch {

    /** The environment variable that turns this off: {@code 0} (or {@code off}) keeps MKL's own choice. */
    public static final String SWITCH = "SPIN_MKL_INTEL_PATH";

    /** Whether MKL was given its Intel path, why (not), and what to do where it could have been and was not. */
    public record Status(boolean applied, String detail, Optional<String> fix) {
        Status(boolean applied, String detail) {
            this(applied, detail, Optional.empty());
        }
    }

    private static Status status;
    @SuppressWarnings("unused") // held so that the library stays loaded
    private static NativeLibrary shim;

    private MklDispatch() {}

    /** Loads the shim on an AMD CPU unless switched off; call before the engine starts. Idempotent. */
    static synchronized Status apply() {
        if (status == null) {
            status = load();
        }
        return status;
    }

    /** What {@link #apply} did in this process, or that it was not asked to (a library use without EngineSetup). */
    public static synchronized Status status() {
        return status != null ? status : new Status(false, "not set up: EngineSetup.configure was not called before the"
                + " engine started");
    }

    private static Status load() {
        Status plan = decide(System.getenv(SWITCH), vendor(), System.getProperty("os.name", ""),
                System.getProperty("os.arch", ""));
        if (!plan.applied()) {
            return plan;
        }
        if (libtorchLoaded()) {
            // MKL binds and caches its answer at its first product: too late to change it now
            return new Status(false, "libtorch was loaded before EngineSetup.configure: MKL keeps its generic kernels",
                    Optional.of("call EngineSetup.configure before the first NDArray"));
        }
        try {
            // RTLD_GLOBAL puts its definition ahead of MKL's for every library loaded after it
            shim = NativeLibrary.getInstance("spinmkl", Map.of(Library.OPTION_OPEN_FLAGS, RTLD_LAZY | RTLD_GLOBAL,
                    Library.OPTION_CLASSLOADER, MklDispatch.class.getClassLoader()));
            return plan;
        } catch (UnsatisfiedLinkError e) {
            return new Status(false, "libspinmkl not in this build (no C compiler when it was built): MKL's generic"
                    + " kernels, about half the matrix-product speed on AVX-512 CPUs",
                    Optional.of("rebuild where cc is installed (Debian: gcc): ./spin builds libspinmkl"));
        }
    }

    /** Whether to give MKL its Intel path, from the switch's value (or null), the CPU vendor and the platform. */
    static Status decide(String switchValue, String vendor, String os, String arch) {
        if (switchValue != null && (switchValue.equals("0") || switchValue.equalsIgnoreCase("off")
                || switchValue.equalsIgnoreCase("false"))) {
            return new Status(false, SWITCH + "=" + switchValue + ": MKL's own choice");
        }
        if (!vendor.equals("AuthenticAMD")) {
            return new Status(false, "not needed on " + vendor + ": MKL picks its kernels itself");
        }
        if (!arch.equals("amd64") || !os.toLowerCase(Locale.ROOT).contains("linux")) {
            return new Status(false, "libspinmkl is built for Linux x86-64 only: MKL's generic kernels");
        }
        return new Status(true, "AMD CPU: MKL runs its Intel kernels (libspinmkl; " + SWITCH + "=0 turns this off)");
    }

    private static boolean libtorchLoaded() {
        try {
            return Files.readString(Path.of("/proc/self/maps")).contains("libtorch_cpu");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static final int RTLD_LAZY = 0x1;
    private static final int RTLD_GLOBAL = 0x100;

    /** The CPU vendor from /proc/cpuinfo ({@code GenuineIntel}, {@code AuthenticAMD}), or "unknown". */
    static String vendor() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("vendor_id")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: not Linux
        }
        return "unknown";
    }
}
