/*
 * libspinmkl: one function, interposed on the copy of Intel MKL that is linked into libtorch_cpu.so.
 *
 * MKL picks its matrix-product kernels by asking mkl_serv_intel_cpu_true() whether the CPU is
 * Intel's. On any other vendor it answers no and MKL runs its generic kernels (AVX2 at best),
 * whatever the CPU supports: on an AMD EPYC with AVX-512, DeiT-Ti's linear layers ran 2.2x slower
 * than on MKL's own AVX-512 path. libtorch_cpu.so calls the function through its PLT, so a
 * definition loaded into the global scope first (org.spin.runtime.MklDispatch loads this library
 * with RTLD_GLOBAL before the engine starts) answers instead. MKL still chooses among its kernels
 * by the instruction sets the CPU reports, so it never runs an instruction the CPU lacks.
 */
int mkl_serv_intel_cpu_true(void) {
    return 1;
}
