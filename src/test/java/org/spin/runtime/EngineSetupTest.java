package org.spin.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What {@link EngineSetup#configure} does to the engine, each in a fresh JVM (a probe, this class's
 * {@link #main}) since it must come before libtorch loads: MKL's kernels ({@link MklDispatch}) and
 * libtorch's log level; and that the products are right on whichever MKL path runs.
 */
class EngineSetupTest {

    @Test
    void mklIsGivenItsIntelPathOnAmdLinuxOnlyAndTheSwitchTurnsItOff() {
        assertThat(MklDispatch.decide(null, "AuthenticAMD", "Linux", "amd64").applied()).isTrue();
        assertThat(MklDispatch.decide("1", "AuthenticAMD", "Linux", "amd64").applied()).isTrue();
        assertThat(MklDispatch.decide(null, "GenuineIntel", "Linux", "amd64"))
                .isEqualTo(new MklDispatch.Status(false, "not needed on GenuineIntel: MKL picks its kernels itself"));
        assertThat(MklDispatch.decide(null, "AuthenticAMD", "Mac OS X", "aarch64").detail()).contains("Linux x86-64 only");
        for (String off : List.of("0", "off", "FALSE")) {
            assertThat(MklDispatch.decide(off, "AuthenticAMD", "Linux", "amd64"))
                    .isEqualTo(new MklDispatch.Status(false, "SPIN_MKL_INTEL_PATH=" + off + ": MKL's own choice"));
        }
    }

    /** The build compiled src/main/c into the classpath, and its one function answers yes. */
    @Test
    void theShimIsBuiltAndAnswersThatTheCpuIsIntels() {
        NativeLibrary shim = NativeLibrary.getInstance("spinmkl", Map.of(com.sun.jna.Library.OPTION_CLASSLOADER,
                EngineSetupTest.class.getClassLoader()));
        assertThat(shim.getFunction("mkl_serv_intel_cpu_true").invokeInt(new Object[0])).isEqualTo(1);
    }

    @Test
    void configuredEngineRunsMklsIntelPathOnAmdQuietlyAndItsProductsAreRight() throws Exception {
        Map<String, String> probe = probe(Map.of());
        assertThat(probe.get("mkl")).isEqualTo(Boolean.toString(MklDispatch.vendor().equals("AuthenticAMD")));
        assertThat(probe.get("loglevel")).isEqualTo("2"); // ERROR: libtorch's per-convolution NNPACK warnings are off
        assertThat(Double.parseDouble(probe.get("matmul"))).isLessThan(1e-5);
        assertThat(Double.parseDouble(probe.get("conv1x1"))).isLessThan(1e-5);
        assertThat(probe.get("stderr")).doesNotContain("NNPACK");
    }

    @Test
    void theUsersLogLevelAndSwitchWin() throws Exception {
        Map<String, String> probe = probe(Map.of("TORCH_CPP_LOG_LEVEL", "WARNING", MklDispatch.SWITCH, "0"));
        assertThat(probe.get("loglevel")).isEqualTo("1");
        assertThat(probe.get("mkl")).isEqualTo("false");
        assertThat(probe.get("mkldetail")).isEqualTo("SPIN_MKL_INTEL_PATH=0: MKL's own choice");
        assertThat(Double.parseDouble(probe.get("matmul"))).isLessThan(1e-5);
    }

    /** Runs {@link #main} in a fresh JVM with {@code env} added; its key=value lines, and its stderr. */
    private static Map<String, String> probe(Map<String, String> env) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                EngineSetupTest.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("TORCH_CPP_LOG_LEVEL");
        pb.environment().remove(MklDispatch.SWITCH);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] err = p.getErrorStream().readAllBytes();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out + new String(err, StandardCharsets.UTF_8)).isZero();
        Map<String, String> m = new HashMap<>();
        out.lines().filter(l -> l.contains("=")).forEach(l -> m.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        m.put("stderr", new String(err, StandardCharsets.UTF_8));
        return m;
    }

    /**
     * The probe: configures the engine as the CLI does, then prints what MKL and libtorch's log were
     * given, and the largest relative error of a DeiT-sized linear product and of a batch-1 1×1
     * convolution (the one that logged NNPACK's warning) against sums in double precision.
     */
    public static void main(String[] args) {
        EngineSetup.configure(1, EngineSetup.Waiting.SHORT_SPIN);
        MklDispatch.Status s = MklDispatch.status();
        System.out.println("mkl=" + s.applied());
        System.out.println("mkldetail=" + s.detail());
        NativeLibrary c10 = NativeLibrary.getInstance(Path.of(LibUtils.getLibtorchPath(), System.mapLibraryName("c10"))
                .toString());
        System.out.println("loglevel=" + c10.getGlobalVariableAddress("FLAGS_caffe2_log_level").getInt(0));
        Random rnd = new Random(7);
        int n = 197;
        int k = 192;
        int o = 576;
        float[] a = gaussian(rnd, n * k);
        float[] w = gaussian(rnd, o * k);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] y = m.create(a, new Shape(n, k)).matMul(m.create(w, new Shape(o, k)).transpose()).toFloatArray();
            System.out.println("matmul=" + relativeError(y, a, w, n, k, o));
            // (1, C, 8, 8) · (C, C, 1, 1): per pixel, the same product with the pixels as rows
            int c = 64;
            float[] x = gaussian(rnd, c * 64);
            float[] v = gaussian(rnd, c * c);
            NDArray conv = Conv2d.conv2d(m.create(x, new Shape(1, c, 8, 8)), m.create(v, new Shape(c, c, 1, 1)))
                    .singletonOrThrow().reshape(c, 64).transpose();
            float[] pixels = m.create(x, new Shape(c, 64)).transpose().flatten().toFloatArray();
            System.out.println("conv1x1=" + relativeError(conv.flatten().toFloatArray(), pixels, v, 64, c, c));
        }
    }

    private static float[] gaussian(Random rnd, int size) {
        float[] f = new float[size];
        for (int i = 0; i < size; i++) {
            f[i] = (float) rnd.nextGaussian();
        }
        return f;
    }

    /** max |y - a·wᵀ| / max |a·wᵀ| for y (n, o), a (n, k), w (o, k), the reference in double. */
    private static double relativeError(float[] y, float[] a, float[] w, int n, int k, int o) {
        double worst = 0;
        double scale = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < o; j++) {
                double sum = 0;
                for (int t = 0; t < k; t++) {
                    sum += (double) a[i * k + t] * w[j * k + t];
                }
                worst = Math.max(worst, Math.abs(y[i * o + j] - sum));
                scale = Math.max(scale, Math.abs(sum));
            }
        }
        return worst / scale;
    }
}
