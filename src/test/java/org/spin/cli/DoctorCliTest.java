package org.spin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

/** {@code spin doctor} reports the engine this build runs and what the machine gives it. */
class DoctorCliTest {

    @Test
    void reportsEngineNativesThreadsAndMatrixSpeed() {
        CliTest.Outcome o = CliTest.run("doctor", "--size", "64");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("engine                 PyTorch 2.7.1 on DJL 0.36.0")
                .containsPattern("libtorch +2\\.7\\.1 from ")
                .containsPattern("threads +\\d+ intra-op")
                .containsPattern("matmul cpu fp32 +\\d+\\.\\d GFLOP/s \\(64×64×64, float32")
                .contains("bf16                   not available through DJL 0.36")
                .containsPattern("cpu +.+; bf16 matrix hardware: ")
                .containsPattern("\nmkl +(AMD CPU: MKL runs its Intel kernels|not needed on |libtorch was loaded before EngineSetup.configure)")
                .containsPattern("\nallocator +(tcmalloc|jemalloc|glibc malloc)");
        // (which of the mkl lines depends on whether an earlier test in this JVM started the engine first)
        // a machine without CUDA says where runs go and where to read about GPUs
        assertThat(o.out().contains("no CUDA device visible")).isEqualTo(Engine.getInstance().getGpuCount() == 0);
        assertThat(o.out().strip()).endsWith("thing(s) to look at (->)");
    }

    /** bf16 is refused in one line, with the reason, before anything runs. */
    @Test
    void benchRefusesBf16InOneLine() {
        CliTest.Outcome o = CliTest.run("bench", "--precision", "bf16", "--steps", "3", "--warmup", "1");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err().strip()).doesNotContain("\n")
                .contains("--precision bf16: bf16 cannot be reached through DJL 0.36, whose JNI has no bfloat16 type");
    }
}
